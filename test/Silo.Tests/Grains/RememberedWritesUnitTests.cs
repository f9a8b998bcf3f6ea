using Actors.Silo.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Silo.Tests.Grains;

public sealed class RememberedWritesUnitTests
{
    private static readonly RememberedWrite First = new(0x0102030405060708, 0x1112131415161718, 0x2122232425262728, 1, Created: true, Deleted: false);
    private static readonly RememberedWrite Second = new(ulong.MaxValue, 0, 42, long.MaxValue, Created: false, Deleted: true);

    [Fact]
    public void From_RoundTripsEveryField()
    {
        var packed = RememberedWrites.From([First, Second]);

        packed.Should().Equal(First, Second);
        packed.Packed.Length.Should().Be(2 * RememberedWrites.EntryBytes);
    }

    [Fact]
    public void Packed_LayoutIsStable()
    {
        // Persisted with every root state: if this changes, stored write ids stop being recognised after an upgrade.
        var packed = RememberedWrites.From([First]).Packed;

        Convert.ToHexString(packed).Should().Be(
            "0807060504030201" + "1817161514131211" + "2827262524232221" + "0100000000000000" + "01");
    }

    [Fact]
    public void Append_LeavesTheOriginalUnchanged()
    {
        var one = RememberedWrites.From([First]);

        var two = one.Append(Second);

        one.Should().Equal(First);
        two.Should().Equal(First, Second);
        two.TakeLast(1).Should().Equal(Second);
    }

    [Fact]
    public void Concat_SkipsTheFirstEntriesOfTheOther()
    {
        var one = RememberedWrites.From([First]);
        var both = RememberedWrites.From([First, Second]);

        one.Concat(both, skip: 1).Should().Equal(First, Second);
        one.Concat(both, skip: 2).Should().BeSameAs(one);
        RememberedWrites.Empty.Concat(both, skip: 0).Should().Equal(First, Second);
    }

    [Fact]
    public void Constructor_PartialEntry_IsRefused()
    {
        var act = () => new RememberedWrites(new byte[RememberedWrites.EntryBytes + 1]);

        act.Should().Throw<ArgumentException>().WithMessage("*multiple of 33 bytes*");
    }

    [Fact]
    public void StorageSerializer_RoundTripsPackedStates()
    {
        using var services = Services();
        var serializer = services.GetRequiredService<OrleansGrainStorageSerializer>();
        var state = new RootState { Document = """{"a":1}""", Version = 2, RecentWrites = RememberedWrites.From([First, Second]) };
        var archive = new WriteArchive { ArchivedWrites = RememberedWrites.From([First]) };

        var readState = serializer.Deserialize<RootState>(serializer.Serialize(state))!;
        var readArchive = serializer.Deserialize<WriteArchive>(serializer.Serialize(archive))!;

        readState.Writes.Should().Equal(First, Second);
        readState.LegacyWrites.Should().BeNull();
        readArchive.Writes.Should().Equal(First);
    }

    [Fact]
    public void StorageSerializer_ArchiveBatches_RoundTrip()
    {
        using var services = Services();
        var serializer = services.GetRequiredService<OrleansGrainStorageSerializer>();
        var stored = new WriteArchive { ArchivedWrites = RememberedWrites.From([First]), Batches = [64, 1_764_817_200_000] };

        var read = serializer.Deserialize<WriteArchive>(serializer.Serialize(stored))!;

        read.Batches.Should().Equal(64, 1_764_817_200_000);
        new ArchiveBatches(read.Batches).ArchivedAt(1).Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1_764_817_200_000));
        serializer.Deserialize<WriteArchive>(serializer.Serialize(new WriteArchive { LegacyWrites = [First] }))!.Batches.Should().BeEmpty();
    }

    [Fact]
    public void StorageSerializer_StatesStoredFieldByField_StillRememberTheirWrites()
    {
        // Roots stored before packing hold their writes as lists; after an upgrade a retry must still be a duplicate.
        using var services = Services();
        var serializer = services.GetRequiredService<OrleansGrainStorageSerializer>();
        var state = serializer.Deserialize<RootState>(serializer.Serialize(new RootState { Version = 2, LegacyWrites = [Second] }))!;
        var archive = serializer.Deserialize<WriteArchive>(serializer.Serialize(new WriteArchive { LegacyWrites = [First] }))!;

        var memory = new WriteMemory(archive.Writes, new ArchiveBatches(archive.Batches), state.Writes, WriteRetention.ByCount(1000));

        memory.TryGet(WriteMemory.Key(First), currentVersion: 2, out var first).Should().BeTrue();
        first.Should().Be(First);
        memory.TryGet(WriteMemory.Key(Second), currentVersion: 2, out var second).Should().BeTrue();
        second.Should().Be(Second);
        WriteMemory.Append(state.Writes, First).Should().Equal(Second, First);
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(RootState).Assembly));
        services.AddSingleton(provider => new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>()));
        return services.BuildServiceProvider();
    }
}
