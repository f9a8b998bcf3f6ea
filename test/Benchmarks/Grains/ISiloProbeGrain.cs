namespace Actors.Benchmarks.Grains;

/// <summary>Reports the hosting silo's memory after a full blocking GC, for the memory-per-root measurement.</summary>
public interface ISiloProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Collects garbage, then returns the silo's memory figures.</summary>
    Task<SiloMemory> CollectAsync();
}

/// <summary>Memory of one silo process.</summary>
/// <param name="WorkingSetBytes">Resident set (Environment.WorkingSet).</param>
/// <param name="ManagedHeapBytes">Live managed heap after a full compacting GC.</param>
[GenerateSerializer, Immutable]
public sealed record SiloMemory(
    [property: Id(0)] long WorkingSetBytes,
    [property: Id(1)] long ManagedHeapBytes);
