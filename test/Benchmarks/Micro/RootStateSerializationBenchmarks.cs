using Actors.Benchmarks.Grains;
using Actors.Silo.Grains;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Benchmarks.Micro;

/// <summary>
/// What the storage provider serializes on every write (OrleansGrainStorageSerializer, as the silo configures it):
/// a root with a ~500-byte document and 0 or 1,000 remembered writes, next to the bare grain's 500-byte state.
/// Shows whether persisting the write-id memory dominates a write.
/// </summary>
[MemoryDiagnoser]
public class RootStateSerializationBenchmarks
{
    private ServiceProvider _services = null!;
    private OrleansGrainStorageSerializer _serializer = null!;
    private RootState _empty = null!;
    private RootState _full = null!;
    private RootState _recent = null!;
    private WriteArchive _archive = null!;
    private BareState _bare = null!;
    private BinaryData _fullBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RootState).Assembly).AddAssembly(typeof(BareState).Assembly)).BuildServiceProvider();
        _serializer = new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>());
        _empty = State(0);
        _full = State(1000);
        _recent = State(WriteMemory.RecentCapacity);
        _archive = new WriteArchive { Writes = State(1000).Writes };
        _bare = new BareState { Payload = Payloads.BareState, Version = 1 };
        _fullBytes = _serializer.Serialize(_full);
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
                ("root state, 1,000 remembered writes (whole memory in the root state, before the split)", bench.SerializeFullMemory()),
                ($"root state, {WriteMemory.RecentCapacity} recent writes (most a root state holds after the split)", bench.SerializeRecent()),
                ($"write archive, 1,000 writes (persisted every {WriteMemory.RecentCapacity}th write)", bench.SerializeArchive()),
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

    [Benchmark(Description = "serialize RootState, 1,000 remembered writes")]
    public int SerializeFullMemory() => _serializer.Serialize(_full).ToMemory().Length;

    [Benchmark(Description = "serialize RootState, 64 recent writes (split: at most this per write)")]
    public int SerializeRecent() => _serializer.Serialize(_recent).ToMemory().Length;

    [Benchmark(Description = "serialize WriteArchive, 1,000 writes (split: every 64th write)")]
    public int SerializeArchive() => _serializer.Serialize(_archive).ToMemory().Length;

    [Benchmark(Description = "deserialize RootState, 1,000 remembered writes (activation)")]
    public int DeserializeFullMemory() => _serializer.Deserialize<RootState>(_fullBytes)?.Writes.Count ?? -1;

    private static RootState State(int remembered)
    {
        var state = new RootState { Document = Payloads.Document(1), Version = remembered + 1 };
        for (var i = 0; i < remembered; i++)
        {
            var hash = WriteMemory.HashWriteId($"http:write-{i}");
            state.Writes.Add(new RememberedWrite((ulong)(hash >> 64), (ulong)hash, (ulong)i * 0x9E3779B97F4A7C15UL, i + 1, i == 0, false));
        }
        return state;
    }
}
