using System.Globalization;
using Actors.Benchmarks.Grains;
using Actors.Contracts;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// The operations the closed loop runs. Caller <c>c</c> owns keys <c>c, c+callers, c+2·callers, …</c> below the key
/// count and cycles through them, so no two callers contend for one grain and root and bare runs see the same pattern.
/// </summary>
internal sealed class Workloads(IClusterClient client, int callers)
{
    private static long _nonce;
    private readonly string[] _bodies = Enumerable.Range(0, callers).Select(c => Payloads.Document(c)).ToArray();

    public static string RootKey(string prefix, int index, string type = "bench") => string.Create(CultureInfo.InvariantCulture, $"{type}/{prefix}{index}");

    /// <summary>Durable merge of the ~500-byte document, a fresh write id per call, to roots of <paramref name="type"/>.</summary>
    public Func<int, long, Task<bool>> RootWrite(string prefix, int keys, string type = "bench")
    {
        var roots = Grains<IRootGrain>(keys, i => RootKey(prefix, i, type));
        var run = Interlocked.Increment(ref _nonce).ToString(CultureInfo.InvariantCulture) + "-" + Environment.TickCount64.ToString(CultureInfo.InvariantCulture);
        return async (c, n) =>
        {
            var grain = Pick(roots, c, n);
            var result = await grain.WriteAsync(WriteCommand.Merge(string.Create(CultureInfo.InvariantCulture, $"b{run}-{c}-{n}"), _bodies[c]));
            return result.Succeeded;
        };
    }

    /// <summary>WriteStateAsync of a 500-byte state on the bare grain.</summary>
    public Func<int, long, Task<bool>> BareWrite(string prefix, int keys)
    {
        var grains = Grains<IBareGrain>(keys, i => prefix + i.ToString(CultureInfo.InvariantCulture));
        return async (c, n) =>
        {
            await Pick(grains, c, n).WriteAsync(Payloads.BareState);
            return true;
        };
    }

    /// <summary>WriteStateAsync of a 500-byte state on the bare grain persisted by Orleans' own Redis provider.</summary>
    public Func<int, long, Task<bool>> OrleansBareWrite(string prefix, int keys)
    {
        var grains = Grains<IOrleansBareGrain>(keys, i => prefix + i.ToString(CultureInfo.InvariantCulture));
        return async (c, n) =>
        {
            await Pick(grains, c, n).WriteAsync(Payloads.BareState);
            return true;
        };
    }

    /// <summary>Read of the whole document of an active root.</summary>
    public Func<int, long, Task<bool>> RootRead(string prefix, int keys)
    {
        var roots = Grains<IRootGrain>(keys, i => RootKey(prefix, i));
        return async (c, n) => (await Pick(roots, c, n).ReadAsync()).Succeeded;
    }

    /// <summary>A bare grain call returning a constant.</summary>
    public Func<int, long, Task<bool>> BarePing(string prefix, int keys)
    {
        var grains = Grains<IBareGrain>(keys, i => prefix + i.ToString(CultureInfo.InvariantCulture));
        return async (c, n) => await Pick(grains, c, n).PingAsync() == 42;
    }

    /// <summary>Runs <paramref name="operation"/> once per key, all callers in parallel; returns the elapsed time.</summary>
    public static async Task<TimeSpan> ForEachKeyAsync(int keys, int callers, Func<int, Task<bool>> operation)
    {
        var next = -1;
        var failures = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < keys)
            {
                if (!await operation(index))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {keys} operations failed while preparing the keys.");
        }
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    private T[] Grains<T>(int keys, Func<int, string> key)
        where T : IGrainWithStringKey =>
        Enumerable.Range(0, keys).Select(i => client.GetGrain<T>(key(i))).ToArray();

    private T Pick<T>(T[] grains, int caller, long n)
    {
        // Keys caller, caller + callers, ... below grains.Length.
        var owned = (grains.Length - caller + callers - 1) / callers;
        return grains[caller + (callers * (int)(n % owned))];
    }
}
