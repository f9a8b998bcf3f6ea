namespace Actors.Silo.Grains;

/// <summary>
/// When each batch of the write archive was archived: one (newest version, unix milliseconds) pair per batch of
/// <see cref="WriteMemory.RecentCapacity"/> writes, oldest first, persisted in <see cref="WriteArchive.Batches"/>.
/// </summary>
/// <remarks>
/// A write is archived after it was made, so its batch's time is an upper bound of the write's own: retaining by it
/// keeps a write at least as long as asked, never shorter, at 16 bytes per 64 writes instead of 8 bytes per write.
/// Archives written before retention existed have no batches; their writes are retained by count only.
/// </remarks>
internal readonly struct ArchiveBatches
{
    private readonly long[] _pairs;

    public ArchiveBatches(long[]? pairs) => _pairs = pairs is { Length: > 0 } && pairs.Length % 2 == 0 ? pairs : [];

    /// <summary>The persisted form.</summary>
    public long[] Packed => _pairs ?? [];

    public int Count => Packed.Length / 2;

    /// <summary>When the batch holding <paramref name="version"/> was archived, or null when no batch records it.</summary>
    public DateTimeOffset? ArchivedAt(long version)
    {
        var pairs = Packed;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (pairs[i] >= version)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(pairs[i + 1]);
            }
        }
        return null;
    }

    /// <summary>These batches and one more, ending at <paramref name="newestVersion"/>, archived at <paramref name="now"/>.</summary>
    public ArchiveBatches Add(long newestVersion, DateTimeOffset now)
    {
        var pairs = Packed;
        if (pairs.Length > 0 && pairs[^2] >= newestVersion)
        {
            return this;
        }
        var next = new long[pairs.Length + 2];
        pairs.CopyTo(next, 0);
        next[^2] = newestVersion;
        next[^1] = now.ToUnixTimeMilliseconds();
        return new ArchiveBatches(next);
    }

    /// <summary>The batches that still hold a write of <paramref name="oldestKept"/> or newer.</summary>
    public ArchiveBatches From(long oldestKept)
    {
        var pairs = Packed;
        var first = 0;
        while (first < pairs.Length && pairs[first] < oldestKept)
        {
            first += 2;
        }
        return first == 0 ? this : new ArchiveBatches(pairs[first..]);
    }
}
