using System.IO.Hashing;
using System.Text;

namespace Actors.Silo.Grains;

/// <summary>
/// The lookup side of a root's write-id memory: finds a remembered write by id in O(1) and decides which writes are
/// still remembered. Rebuilt on activation from the two persisted lists, which stay the single source of truth:
/// <see cref="WriteArchive.Writes"/> (older, written rarely) and <see cref="RootState.Writes"/> (recent, written with
/// every write and bounded by <see cref="RecentCapacity"/>).
/// </summary>
/// <remarks>
/// Every applied write, and only an applied write, is remembered and raises the version by exactly one, so the writes
/// remembered by count are exactly those with a version above <c>currentVersion - capacity</c>: eviction is a
/// comparison, and the lists may hold a few entries more than the capacity without changing what is remembered. On top
/// of the count, writes whose archive batch is younger than <see cref="WriteRetention.MinAge"/> stay remembered
/// (<see cref="ArchiveBatches"/>), so a late retry to a hot root is still recognised; <see cref="WriteRetention.MaxEntries"/>
/// bounds what that costs.
/// </remarks>
internal sealed class WriteMemory
{
    /// <summary>
    /// How many writes the root state carries before they move to the archive. Each write persists 33 bytes per
    /// recent entry, and every <see cref="RecentCapacity"/>-th write also persists the archive (~33 KB at 1,000): 64
    /// keeps both near 1 KB per write on average, against ~37 KB when every write persisted all 1,000.
    /// </summary>
    public const int RecentCapacity = 64;

    private readonly Dictionary<UInt128, RememberedWrite> _byId = [];
    private readonly WriteRetention _retention;
    private readonly int _capacity;
    private ArchiveBatches _batches;

    public WriteMemory(IEnumerable<RememberedWrite> archived, ArchiveBatches batches, IEnumerable<RememberedWrite> recent, WriteRetention retention)
    {
        _retention = retention;
        _capacity = retention.Count;
        Reset(archived.Concat(recent), batches);
    }

    /// <summary>True when the last <see cref="Archive"/> dropped writes younger than the minimum age to stay under <see cref="WriteRetention.MaxEntries"/>.</summary>
    public bool LastArchiveCutYoungWrites { get; private set; }

    /// <summary>The 128-bit hash the memory keys a write id by.</summary>
    public static UInt128 HashWriteId(string writeId)
    {
        Span<byte> utf8 = writeId.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(writeId.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(writeId.Length)];
        var length = Encoding.UTF8.GetBytes(writeId, utf8);
        return XxHash128.HashToUInt128(utf8[..length]);
    }

    /// <summary>
    /// Finds a write among the last <c>capacity</c> applied to a root now at <paramref name="currentVersion"/>, or among
    /// those archived less than the minimum age ago.
    /// </summary>
    public bool TryGet(UInt128 writeIdHash, long currentVersion, out RememberedWrite write) =>
        _byId.TryGetValue(writeIdHash, out write) && (write.Version > currentVersion - _capacity || IsYoung(write.Version, _batches, _retention.Time.GetUtcNow()));

    /// <summary>True when the recent list is full and must move to the archive before the next write.</summary>
    public static bool MustArchive(IReadOnlyList<RememberedWrite> recent) => recent.Count >= RecentCapacity;

    /// <summary>
    /// The archive after moving <paramref name="recent"/> into it: the last <c>capacity</c> writes of both, oldest first.
    /// Entries already archived (a retry after the root state failed to persist) are not added twice.
    /// </summary>
    /// <remarks>
    /// Both lists are in version order (each applied write is appended with the next version), so the entries already
    /// archived are a prefix of <paramref name="recent"/>, and the rest is a copy of packed bytes: the profile put the
    /// entry-by-entry version of this at 2.5 % of the silo's CPU during durable writes, although it runs once every
    /// <see cref="RecentCapacity"/> writes.
    /// </remarks>
    public (RememberedWrites Writes, ArchiveBatches Batches) Archive(IReadOnlyList<RememberedWrite> archived, ArchiveBatches batches, IReadOnlyList<RememberedWrite> recent)
    {
        var older = RememberedWrites.From(archived);
        var newer = RememberedWrites.From(recent);
        var newest = older.Count == 0 ? long.MinValue : older[^1].Version;
        var skip = 0;
        while (skip < newer.Count && newer[skip].Version <= newest)
        {
            skip++;
        }

        var all = older.Concat(newer, skip);
        if (all.Count == 0)
        {
            LastArchiveCutYoungWrites = false;
            return (all, batches);
        }
        var now = _retention.Time.GetUtcNow();
        var next = batches.Add(all[^1].Version, now);

        // Drop from the oldest while a write is neither among the last `capacity` nor young; versions and batch times
        // both rise along the list, so the first write kept ends the search.
        var newestVersion = all[^1].Version;
        var keepFrom = 0;
        while (keepFrom < all.Count && all[keepFrom].Version <= newestVersion - _capacity && !IsYoung(all[keepFrom].Version, next, now))
        {
            keepFrom++;
        }
        var ceiling = Math.Max(0, all.Count - _retention.MaxEntries);
        LastArchiveCutYoungWrites = ceiling > keepFrom;
        keepFrom = Math.Max(keepFrom, ceiling);

        var kept = all.TakeLast(all.Count - keepFrom);
        return (kept, kept.Count == 0 ? next : next.From(kept[0].Version));
    }

    /// <summary>Brings the lookup in line with an archive that is now durable (forgetting what it dropped).</summary>
    public void Reset(IEnumerable<RememberedWrite> writes, ArchiveBatches batches)
    {
        _batches = batches;
        _byId.Clear();
        foreach (var write in writes)
        {
            _byId[Key(write)] = write;
        }
    }

    /// <summary>
    /// Returns the recent list with <paramref name="write"/> appended, without touching <paramref name="recent"/> (the
    /// grain keeps it until storage confirms the new state).
    /// </summary>
    public static RememberedWrites Append(IReadOnlyList<RememberedWrite> recent, RememberedWrite write) =>
        RememberedWrites.From(recent).Append(write);

    /// <summary>Remembers <paramref name="write"/> once the state holding it is durable.</summary>
    public void Commit(RememberedWrite write)
    {
        // Bounded without eviction here: each archive resets the lookup to at most capacity entries, and at most
        // RecentCapacity are added before the next one.
        _byId[Key(write)] = write;
    }

    public static UInt128 Key(RememberedWrite write) => new(write.WriteIdHashHigh, write.WriteIdHashLow);

    private bool IsYoung(long version, ArchiveBatches batches, DateTimeOffset now) =>
        _retention.MinAge > TimeSpan.Zero && batches.ArchivedAt(version) is { } archivedAt && now - archivedAt < _retention.MinAge;
}
