namespace Actors.Silo.Grains;

/// <summary>
/// The older part of a root's write-id memory, persisted as its own grain state (<c>writes</c>) and written only once
/// every <see cref="WriteMemory.RecentCapacity"/> writes, so an ordinary write does not re-persist 1,000 entries.
/// </summary>
/// <remarks>
/// Measured before the split (test/Benchmarks): with the whole memory in <see cref="RootState"/>, every write of a
/// ~500-byte document persisted ~37 KB and ran at 0.07 of a bare persisted grain once 1,000 ids were remembered.
/// </remarks>
[GenerateSerializer]
public sealed class WriteArchive
{
    /// <summary>The archive as stored before <see cref="ArchivedWrites"/> existed; read, never written again.</summary>
    [Id(0)] public List<RememberedWrite>? LegacyWrites { get; set; }

    /// <summary>Remembered writes older than <see cref="RootState.RecentWrites"/>, oldest first, at most <c>Actors:Roots:WriteIdMemory</c>.</summary>
    [Id(1)] public RememberedWrites ArchivedWrites { get; set; } = RememberedWrites.Empty;

    /// <summary>When each batch of <see cref="ArchivedWrites"/> was archived (<see cref="ArchiveBatches"/>); empty in archives stored before retention by age.</summary>
    [Id(2)] public long[] Batches { get; set; } = [];

    /// <summary>The archived writes, in whichever form this state was stored.</summary>
    public IReadOnlyList<RememberedWrite> Writes => LegacyWrites is { Count: > 0 } legacy ? legacy : ArchivedWrites;
}
