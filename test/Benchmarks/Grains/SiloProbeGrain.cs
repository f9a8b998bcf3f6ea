using System.Runtime;

namespace Actors.Benchmarks.Grains;

internal sealed class SiloProbeGrain : Grain, ISiloProbeGrain
{
    public Task<SiloMemory> CollectAsync()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Task.FromResult(new SiloMemory(Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false)));
    }
}
