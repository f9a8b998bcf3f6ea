using Actors.Silo.Grains;
using BenchmarkDotNet.Attributes;

namespace Actors.Benchmarks.Micro;

/// <summary>The write-id memory of a root that has seen 1,000 writes (its full default capacity).</summary>
[MemoryDiagnoser]
public class WriteMemoryBenchmarks
{
    private const int Capacity = 1000;
    private List<RememberedWrite> _writes = null!;
    private List<RememberedWrite> _recent = null!;
    private WriteMemory _memory = null!;
    private UInt128 _present;
    private UInt128 _absent;

    [GlobalSetup]
    public void Setup()
    {
        _writes = [];
        for (var i = 0; i < Capacity; i++)
        {
            var hash = WriteMemory.HashWriteId($"write-{i}");
            _writes.Add(new RememberedWrite((ulong)(hash >> 64), (ulong)hash, (ulong)i, i + 1, i == 0, false));
        }
        _memory = new WriteMemory(_writes, default, [], WriteRetention.ByCount(Capacity));
        _recent = _writes.GetRange(Capacity - WriteMemory.RecentCapacity, WriteMemory.RecentCapacity);
        _present = WriteMemory.HashWriteId("write-500");
        _absent = WriteMemory.HashWriteId("write-none");
    }

    [Benchmark(Description = "WriteMemory.HashWriteId (36-char id)")]
    public UInt128 Hash() => WriteMemory.HashWriteId("http:3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");

    [Benchmark(Description = "WriteMemory.TryGet hit, 1,000 entries")]
    public bool LookupHit() => _memory.TryGet(_present, Capacity, out _);

    [Benchmark(Description = "WriteMemory.TryGet miss, 1,000 entries")]
    public bool LookupMiss() => _memory.TryGet(_absent, Capacity, out _);

    [Benchmark(Description = "WriteMemory.Append to a full recent list (every write)")]
    public int Append() => WriteMemory.Append(_recent, new RememberedWrite(1, 2, 3, 1001, false, false)).Count;

    [Benchmark(Description = "WriteMemory.Archive + Reset at 1,000 (every 64th write)")]
    public int Archive()
    {
        var (archived, batches) = _memory.Archive(_writes, default, _recent);
        _memory.Reset(archived, batches);
        return archived.Count;
    }
}
