using Actors.Benchmarks.Grains;
using Actors.Silo.Grains;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Benchmarks.Micro;

/// <summary>
/// What the storage provider serializes on every write (OrleansGrainStorageSerializer, as the silo configures it):
/// a root with a ~500-byte document and its recent writes, and the archive written every 64th write, packed and
/// field by field (the form states had before <see cref="RememberedWrites"/>), next to the bare grain's 500-byte state.
/// Shows whether persisting the write-id memory dominates a write.
/// </summary>
[MemoryDiagnoser]
public class RootStateSerializationBenchmarks
{
    private ServiceProvider _services = null!;
    private OrleansGrainStorageSerializer _serializer = null!;
    private RootState _empty = null!;
    private RootState _recent = null!;
    private RootState _recentFieldByField = null!;
    private WriteArchive _archive = null!;
    private WriteArchive _archiveFieldByField = null!;
    private BareState _bare = null!;
    private BinaryData _archiveBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RootState).Assembly).AddAssembly(typeof(BareState).Assembly)).BuildServiceProvider();
        _serializer = new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>());
        _empty = State(0);
        _recent = State(WriteMemory.RecentCapacity);
        _recentFieldByField = new RootState { Document = _recent.Document, Version = _recent.Version, LegacyWrites = [.. _recent.Writes] };
        _archive = new WriteArchive { ArchivedWrites = RememberedWrites.From(Writes(1000)) };
        _archiveFieldByField = new WriteArchive { LegacyWrites = Writes(1000) };
        _bare = new BareState { Payload = Payloads.BareState, Version = 1 };
        _archiveBytes = _serializer.Serialize(_archive);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>Serialized sizes, printed once by the micro mode so the table shows bytes next to times.</summary>
    public static IReadOnlyList<(string State, int Bytes)> MeasureSizes()
    {
        var bench = new RootStateSerializationBenchmarks();
        bench.Setup();
        try
        {
            return
            [
                ("bare grain state (500 B payload)", bench.SerializeBare()),
                ("root state, 0 remembered writes", bench.SerializeEmptyMemory()),
                ($"root state, {WriteMemory.RecentCapacity} recent writes packed (the most a root state holds)", bench.SerializeRecent()),
                ($"root state, {WriteMemory.RecentCapacity} recent writes field by field (before packing)", bench.SerializeRecentFieldByField()),
                ($"write archive, 1,000 writes packed (persisted every {WriteMemory.RecentCapacity}th write)", bench.SerializeArchive()),
                ("write archive, 1,000 writes field by field (before packing)", bench.SerializeArchiveFieldByField()),
            ];
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [Benchmark(Baseline = true, Description = "serialize bare grain state (500 B)")]
    public int SerializeBare() => _serializer.Serialize(_bare).ToMemory().Length;

    [Benchmark(Description = "serialize RootState, 0 remembered writes")]
    public int SerializeEmptyMemory() => _serializer.Serialize(_empty).ToMemory().Length;

    [Benchmark(Description = "serialize RootState, 64 recent writes packed (at most this per write)")]
    public int SerializeRecent() => _serializer.Serialize(_recent).ToMemory().Length;

    [Benchmark(Description = "serialize RootState, 64 recent writes field by field (before packing)")]
    public int SerializeRecentFieldByField() => _serializer.Serialize(_recentFieldByField).ToMemory().Length;

    [Benchmark(Description = "serialize WriteArchive, 1,000 writes packed (every 64th write)")]
    public int SerializeArchive() => _serializer.Serialize(_archive).ToMemory().Length;

    [Benchmark(Description = "serialize WriteArchive, 1,000 writes field by field (before packing)")]
    public int SerializeArchiveFieldByField() => _serializer.Serialize(_archiveFieldByField).ToMemory().Length;

    [Benchmark(Description = "deserialize WriteArchive, 1,000 writes packed (activation)")]
    public int DeserializeArchive() => _serializer.Deserialize<WriteArchive>(_archiveBytes)?.Writes.Count ?? -1;

    private static RootState State(int remembered) => new()
    {
        Document = Payloads.Document(1),
        Version = remembered + 1,
        RecentWrites = RememberedWrites.From(Writes(remembered)),
    };

    private static List<RememberedWrite> Writes(int count)
    {
        var writes = new List<RememberedWrite>(count);
        for (var i = 0; i < count; i++)
        {
            var hash = WriteMemory.HashWriteId($"http:write-{i}");
            writes.Add(new RememberedWrite((ulong)(hash >> 64), (ulong)hash, (ulong)i * 0x9E3779B97F4A7C15UL, i + 1, i == 0, false));
        }
        return writes;
    }
}
