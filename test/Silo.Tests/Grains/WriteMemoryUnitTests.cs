using Actors.Silo.Grains;

namespace Actors.Silo.Tests.Grains;

public sealed class WriteMemoryUnitTests
{
    private const int Capacity = 1000;

    [Fact]
    public void TryGet_WriteOlderThanCapacity_IsForgottenEvenIfStillListed()
    {
        var writes = Writes(1, Capacity + 10);
        var memory = new WriteMemory(writes[..Capacity], default, writes[Capacity..], WriteRetention.ByCount(Capacity));

        memory.TryGet(Hash(10), currentVersion: Capacity + 10, out _).Should().BeFalse("version 10 is the 1,001st newest");
        memory.TryGet(Hash(11), currentVersion: Capacity + 10, out var kept).Should().BeTrue();
        kept.Version.Should().Be(11);
    }

    [Fact]
    public void Archive_RecentAlreadyArchivedByAFailedWrite_KeepsEachWriteOnce()
    {
        var memory = new WriteMemory([], default, [], WriteRetention.ByCount(Capacity));
        var archived = Writes(1, 990);
        var recent = Writes(951, 1014); // 951..990 were archived by an attempt whose root state then failed to persist

        var (next, _) = memory.Archive(archived, default, recent);

        next.Select(w => w.Version).Should().Equal(Enumerable.Range(15, Capacity).Select(v => (long)v));
    }

    [Fact]
    public void Reset_AfterArchive_FindsArchivedAndNewWrites()
    {
        var memory = new WriteMemory([], default, Writes(1, WriteMemory.RecentCapacity), WriteRetention.ByCount(Capacity));
        WriteMemory.MustArchive(Writes(1, WriteMemory.RecentCapacity)).Should().BeTrue();

        var (archived, batches) = memory.Archive([], default, Writes(1, WriteMemory.RecentCapacity));
        memory.Reset(archived, batches);
        memory.Commit(Writes(WriteMemory.RecentCapacity + 1, WriteMemory.RecentCapacity + 1)[0]);

        memory.TryGet(Hash(1), WriteMemory.RecentCapacity + 1, out _).Should().BeTrue();
        memory.TryGet(Hash(WriteMemory.RecentCapacity + 1), WriteMemory.RecentCapacity + 1, out _).Should().BeTrue();
    }

    [Fact]
    public void Retention_LateRetryToAHotRoot_IsRememberedUntilItsBatchIsOlderThanTheMinimum()
    {
        var clock = new ManualClock();
        var memory = new WriteMemory([], default, [], new WriteRetention(Capacity, TimeSpan.FromMinutes(10), 20_000, clock));
        var (archived, batches) = ArchiveInBatches(memory, 1, 3_000, clock, TimeSpan.FromMilliseconds(100));

        archived.Count.Should().Be(3_000, "3,000 writes in 4.7 s are all younger than 10 minutes");
        memory.TryGet(Hash(1), currentVersion: 3_000, out var first).Should().BeTrue("a retry of the first write 2,999 writes later is still a duplicate");
        first.Version.Should().Be(1);

        clock.Advance(TimeSpan.FromMinutes(10));
        memory.TryGet(Hash(1), currentVersion: 3_000, out _).Should().BeFalse("its batch is now older than the minimum and it is not among the last 1,000");
        memory.TryGet(Hash(2_001), currentVersion: 3_000, out _).Should().BeTrue("the last 1,000 are remembered by count whatever their age");

        var (trimmed, _) = memory.Archive(archived, batches, Writes(3_001, 3_064));
        trimmed.Count.Should().Be(Capacity, "the next archive drops what is both old and beyond the count");
        trimmed[0].Version.Should().Be(3_064 - Capacity + 1);
    }

    [Fact]
    public void Retention_MaxEntries_BoundsAHotRoot_AndSaysSo()
    {
        var clock = new ManualClock();
        var memory = new WriteMemory([], default, [], new WriteRetention(Capacity, TimeSpan.FromMinutes(10), 2_000, clock));

        var (archived, _) = ArchiveInBatches(memory, 1, 3_008, clock, TimeSpan.FromMilliseconds(1));

        archived.Count.Should().Be(2_000);
        archived[^1].Version.Should().Be(3_008);
        memory.LastArchiveCutYoungWrites.Should().BeTrue();
        memory.TryGet(Hash(1_008), currentVersion: 3_008, out _).Should().BeFalse("cut by the ceiling");
        memory.TryGet(Hash(1_009), currentVersion: 3_008, out _).Should().BeTrue("young, within the ceiling");
    }

    [Fact]
    public void Retention_ArchiveStoredBeforeBatches_IsRetainedByCountOnly()
    {
        var clock = new ManualClock();
        var writes = Writes(1, Capacity + 10);
        var memory = new WriteMemory(writes[..Capacity], default, writes[Capacity..], new WriteRetention(Capacity, TimeSpan.FromMinutes(10), 20_000, clock));

        memory.TryGet(Hash(10), currentVersion: Capacity + 10, out _).Should().BeFalse("no batch says when version 10 was archived");
    }

    /// <summary>Archives versions from..to in batches of <see cref="WriteMemory.RecentCapacity"/>, the clock moving between batches, as the grain does.</summary>
    private static (RememberedWrites Writes, ArchiveBatches Batches) ArchiveInBatches(WriteMemory memory, long from, long to, ManualClock clock, TimeSpan between)
    {
        var archived = RememberedWrites.Empty;
        var batches = default(ArchiveBatches);
        for (var start = from; start <= to; start += WriteMemory.RecentCapacity)
        {
            clock.Advance(between);
            (archived, batches) = memory.Archive(archived, batches, Writes(start, Math.Min(to, start + WriteMemory.RecentCapacity - 1)));
            memory.Reset(archived, batches);
        }
        return (archived, batches);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private static List<RememberedWrite> Writes(long fromVersion, long toVersion)
    {
        var writes = new List<RememberedWrite>();
        for (var v = fromVersion; v <= toVersion; v++)
        {
            var hash = Hash(v);
            writes.Add(new RememberedWrite((ulong)(hash >> 64), (ulong)hash, (ulong)v, v, v == 1, false));
        }
        return writes;
    }

    private static UInt128 Hash(long version) => WriteMemory.HashWriteId($"w-{version}");
}
