using System.Diagnostics;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// A closed-loop load: <c>callers</c> tasks each await one operation after another. Operations that start after the
/// warm-up and finish before the end count; latency is measured per operation.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Runs the load and returns throughput, latency percentiles and the error count.</summary>
    /// <param name="callers">Concurrent callers.</param>
    /// <param name="warmup">Load applied before the measured window.</param>
    /// <param name="duration">The measured window.</param>
    /// <param name="operation">One operation of caller <c>c</c>, its <c>n</c>-th; returns false for a failed operation.</param>
    /// <param name="cpu">Started when the window opens and stopped when it closes.</param>
    public static async Task<Sample> RunAsync(int callers, TimeSpan warmup, TimeSpan duration, Func<int, long, Task<bool>> operation, CpuMeter cpu)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>[callers];
        var errors = new long[callers];
        var meter = Task.Run(async () =>
        {
            await Task.Delay(warmup);
            cpu.Start();
            await Task.Delay(duration);
            return cpu.Stop();
        });

        var tasks = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var caller = c;
            latencies[caller] = new List<long>(65536);
            tasks[caller] = Task.Run(async () =>
            {
                long n = 0;
                while (true)
                {
                    var before = Stopwatch.GetTimestamp();
                    if (before >= windowEnd)
                    {
                        return;
                    }
                    bool ok;
                    try
                    {
                        ok = await operation(caller, n++);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        ok = false;
                    }
                    var after = Stopwatch.GetTimestamp();
                    if (before >= windowStart && after <= windowEnd)
                    {
                        latencies[caller].Add(after - before);
                        if (!ok)
                        {
                            errors[caller]++;
                        }
                    }
                }
            });
        }
        await Task.WhenAll(tasks);
        var cores = await meter;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new Sample(
            all.Length / duration.TotalSeconds,
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            errors.Sum(),
            cores);
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
