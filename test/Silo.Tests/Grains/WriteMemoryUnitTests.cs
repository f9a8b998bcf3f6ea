using Actors.Silo.Grains;

namespace Actors.Silo.Tests.Grains;

public sealed class WriteMemoryUnitTests
{
    private const int Capacity = 1000;

    [Fact]
    public void TryGet_WriteOlderThanCapacity_IsForgottenEvenIfStillListed()
    {
        var writes = Writes(1, Capacity + 10);
        var memory = new WriteMemory(writes[..Capacity], writes[Capacity..], Capacity);

        memory.TryGet(Hash(10), currentVersion: Capacity + 10, out _).Should().BeFalse("version 10 is the 1,001st newest");
        memory.TryGet(Hash(11), currentVersion: Capacity + 10, out var kept).Should().BeTrue();
        kept.Version.Should().Be(11);
    }

    [Fact]
    public void Archive_RecentAlreadyArchivedByAFailedWrite_KeepsEachWriteOnce()
    {
        var memory = new WriteMemory([], [], Capacity);
        var archived = Writes(1, 990);
        var recent = Writes(951, 1014); // 951..990 were archived by an attempt whose root state then failed to persist

        var next = memory.Archive(archived, recent);

        next.Select(w => w.Version).Should().Equal(Enumerable.Range(15, Capacity).Select(v => (long)v));
    }

    [Fact]
    public void Reset_AfterArchive_FindsArchivedAndNewWrites()
    {
        var memory = new WriteMemory([], Writes(1, WriteMemory.RecentCapacity), Capacity);
        WriteMemory.MustArchive(Writes(1, WriteMemory.RecentCapacity)).Should().BeTrue();

        memory.Reset(memory.Archive([], Writes(1, WriteMemory.RecentCapacity)));
        memory.Commit(Writes(WriteMemory.RecentCapacity + 1, WriteMemory.RecentCapacity + 1)[0]);

        memory.TryGet(Hash(1), WriteMemory.RecentCapacity + 1, out _).Should().BeTrue();
        memory.TryGet(Hash(WriteMemory.RecentCapacity + 1), WriteMemory.RecentCapacity + 1, out _).Should().BeTrue();
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
