namespace Actors.Silo.Grains;

/// <summary>
/// What a root grain persists, whole, on every write: the document, its version, and the most recent write ids
/// (older ones live in <see cref="WriteArchive"/>).
/// </summary>
/// <remarks>
/// <see cref="Document"/> is null both before the first write and after a delete; <see cref="Version"/> survives a
/// delete (the tombstone), so a re-created root continues its count and versions never go backwards.
/// </remarks>
[GenerateSerializer]
public sealed class RootState
{
    /// <summary>The document as compact UTF-8 JSON text; null when the root is absent or deleted.</summary>
    [Id(0)] public string? Document { get; set; }

    /// <summary>1 after the first write, +1 per applied write; 0 for a root never written.</summary>
    [Id(1)] public long Version { get; set; }

    /// <summary>
    /// The recent writes as states stored them before <see cref="RecentWrites"/> existed, field by field; read on
    /// activation, never written again (the next write stores them packed).
    /// </summary>
    [Id(2)] public List<RememberedWrite>? LegacyWrites { get; set; }

    /// <summary>
    /// The most recently applied writes, oldest first: at most <see cref="WriteMemory.RecentCapacity"/> (states written
    /// before the archive existed may hold more; the next write moves them to the archive).
    /// </summary>
    [Id(3)] public RememberedWrites RecentWrites { get; set; } = RememberedWrites.Empty;

    /// <summary>The recent writes, in whichever form this state was stored.</summary>
    public IReadOnlyList<RememberedWrite> Writes => LegacyWrites is { Count: > 0 } legacy ? legacy : RecentWrites;
}
