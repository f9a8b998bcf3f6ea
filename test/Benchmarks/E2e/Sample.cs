namespace Actors.Benchmarks.E2e;

/// <summary>One measurement: throughput and latency over the measured window, plus where the CPU went meanwhile.</summary>
/// <param name="OpsPerSecond">Operations completed in the window per second.</param>
/// <param name="P50Ms">Median latency, milliseconds.</param>
/// <param name="P99Ms">99th percentile latency, milliseconds.</param>
/// <param name="Errors">Operations that failed (exception, error result, non-2xx response, socket error).</param>
/// <param name="Cpu">CPU use by process group during the window, in cores (2.0 = both cores busy).</param>
internal sealed record Sample(double OpsPerSecond, double P50Ms, double P99Ms, long Errors, IReadOnlyDictionary<string, double> Cpu);
