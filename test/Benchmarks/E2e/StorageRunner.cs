using System.Globalization;
using System.Text;
using Actors.Benchmarks.Progress;
using Actors.Contracts;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// <c>storage</c>: the cost of redundancy, measured side by side in one run (docs/performance.md, Redundant storage).
/// For each Redis setup — a Redis Cluster of 3 primaries × 1 replica with replica-acknowledged writes, the same cluster
/// without the replica wait, and one Redis — one silo is measured on: durable root writes and the bare grain on the
/// roots' storage, each next to the bare grain on Orleans' own Redis provider on the same Redis.
/// </summary>
internal sealed class StorageRunner(E2eOptions options)
{
    // Primaries: 0 = one Redis server. Setups are numbered by position (ACTORS_BENCH_SETUPS=0,4 picks 1 vs 3 primaries).
    private static readonly (string Name, int Primaries, string[] SiloArguments)[] Setups =
    [
        ("cluster 3×1, replica-acknowledged", 3, []),
        ("cluster 3×1, no replica wait", 3, ["--Actors:Storage:MinReplicas=0"]),
        ("one Redis", 0, []),
        ("one Redis, roots on Orleans' provider", 0, ["--Actors:Storage:Provider=OrleansRedis"]),
        ("cluster 1×1, replica-acknowledged", 1, []),
    ];

    public async Task<int> RunAsync()
    {
        var started = DateTimeOffset.Now;
        var rows = new List<(string Setup, PairResult Pair)>();
        var only = Environment.GetEnvironmentVariable("ACTORS_BENCH_SETUPS");
        var setups = Setups.Where((_, i) => only is null || only.Split(',').Contains(i.ToString(CultureInfo.InvariantCulture))).ToList();
        // Per setup: starting it and preparing its roots (a Redis Cluster takes ~20 s), then both pairs per repetition.
        var measured = Enumerable.Range(0, options.Repetitions).Select(rep => 4 * ((rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds))) + options.Duration));
        var progress = new BenchProgress([.. setups.Select(_ => TimeSpan.FromSeconds(25) + measured.Aggregate(TimeSpan.Zero, (a, b) => a + b))]);
        foreach (var (name, primaries, arguments) in setups)
        {
            Log(progress.Begin(name));
            Log($"{name}: starting Redis and one silo");
            await using var bench = await BenchCluster.StartAsync(1, http: false, perfMaps: false, primaries, arguments);
            rows.AddRange((await MeasureAsync(bench)).Select(pair => (name, pair)));
        }

        var report = Markdown(rows, started);
        Console.WriteLine(report);
        var directory = Path.Combine(RepositoryRoot.Find(), "results");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{started:yyyy-MM-dd-HHmm}-{(await Commit.DescribeAsync()).Split(' ')[0]}-storage.md");
        await File.WriteAllTextAsync(file, report);
        Log($"wrote {file}");
        return 0;
    }

    private async Task<List<PairResult>> MeasureAsync(BenchCluster bench)
    {
        var load = new Workloads(bench.Client, options.Callers);
        var client = bench.Client;
        await Workloads.ForEachKeyAsync(options.Roots, options.Callers, async i =>
            (await client.GetGrain<IRootGrain>(Workloads.RootKey("r", i)).WriteAsync(WriteCommand.Put($"prep-{i}", Payloads.Document(i)))).Succeeded);
        var root = new PairResult("root", "durable root write (roots' storage)", "bare grain, Orleans' Redis provider", null, [], []);
        var bare = new PairResult("bare", "bare grain, roots' storage", "bare grain, Orleans' Redis provider", null, [], []);
        for (var rep = 0; rep < options.Repetitions; rep++)
        {
            var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
            var flip = rep % 2 == 1;
            Log($"repetition {rep + 1}/{options.Repetitions} (load {CpuMeter.LoadAverage()})");
            await E2eRunner.MeasureAsync(root, flip,
                () => Closed(bench, warmup, load.RootWrite("r", options.Roots)),
                () => Closed(bench, warmup, load.OrleansBareWrite("o", options.Roots)));
            await E2eRunner.MeasureAsync(bare, !flip,
                () => Closed(bench, warmup, load.BareWrite("b", options.Roots)),
                () => Closed(bench, warmup, load.OrleansBareWrite("o", options.Roots)));
        }

        return [root, bare];
    }

    private Task<Sample> Closed(BenchCluster bench, TimeSpan warmup, Func<int, long, Task<bool>> operation) =>
        ClosedLoop.RunAsync(options.Callers, warmup, options.Duration, operation, bench.NewCpuMeter());

    /// <summary>CPU of the silo and every Redis process per operation, in microseconds.</summary>
    private static double CpuMicros(Sample sample) =>
        (sample.Cpu.GetValueOrDefault("silos") + sample.Cpu.GetValueOrDefault("redis")) / Math.Max(1, sample.OpsPerSecond) * 1e6;

    private string Markdown(List<(string Setup, PairResult Pair)> rows, DateTimeOffset started)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Storage benchmark, {started:yyyy-MM-dd HH:mm zzz}: {options.Callers} callers, {options.Roots} keys, {options.Repetitions} × {options.Duration.TotalSeconds:0} s per path after {options.Warmup.TotalSeconds:0} s warm-up; medians; one silo; {Machine.Describe()}");
        md.AppendLine();
        md.AppendLine("| setup | path | ops/s | p99 ms | CPU µs/op | baseline ops/s | ratio |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|");
        foreach (var (setup, pair) in rows)
        {
            var p99 = PairResult.Median(pair.Runs.Select(r => r.P99Ms));
            var cpu = PairResult.Median(pair.Runs.Select(CpuMicros));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {setup} | {pair.Path} | {pair.OpsPerSecond:N0} | {p99:0.0} | {cpu:N0} | {pair.BaselineOpsPerSecond:N0} | {pair.Ratio:0.00} |");
        }

        if (rows.FirstOrDefault(r => r.Setup == Setups[0].Name && r.Pair.Id == "root").Pair is { } replicated
            && rows.FirstOrDefault(r => r.Setup == Setups[1].Name && r.Pair.Id == "root").Pair is { } unreplicated)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Cost of redundancy (durable root writes, replica-acknowledged / no replica wait, same cluster): {replicated.OpsPerSecond / unreplicated.OpsPerSecond:0.00}.");
        }

        if (rows.FirstOrDefault(r => r.Setup == Setups[0].Name && r.Pair.Id == "root").Pair is { } three
            && rows.FirstOrDefault(r => r.Setup == Setups[4].Name && r.Pair.Id == "root").Pair is { } one)
        {
            // On one machine every primary shares the same cores, so throughput cannot show the scaling; CPU per write can.
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"1 vs 3 primaries (durable root writes, replica-acknowledged): {one.OpsPerSecond:N0} vs {three.OpsPerSecond:N0} ops/s, " +
                $"{PairResult.Median(one.Runs.Select(CpuMicros)):N0} vs {PairResult.Median(three.Runs.Select(CpuMicros)):N0} CPU µs per write (silo + every Redis process).");
        }
        return md.ToString();
    }

    private static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
