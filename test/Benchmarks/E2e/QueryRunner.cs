using System.Diagnostics;
using System.Globalization;
using System.Text;
using Actors.Contracts;
using Actors.Silo.Grains;
using Actors.Silo.Queries;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// <c>query</c>: the costs of DESIGN §8 measured side by side in one run (docs/performance.md, Queries), on one Redis and
/// one silo: a page of 100 by <c>eq</c> next to one ZRANGEBYLEX of 100 on the same Redis (the floor), at 10,000 roots
/// and at 1,000,000 (100,000 with <c>--quick</c>); durable writes to a type with two indexes next to a type without; and
/// an index build's rate next to a plain SCAN over the same keys.
/// </summary>
/// <remarks>
/// The roots are seeded with the storage's own write script (<see cref="RootIndexStore.RootWrite"/>, the same keys,
/// entries and serialized <see cref="RootState"/> a root grain stores), pipelined from this driver: writing a million
/// roots through grains would take minutes and measure writes, not queries.
/// </remarks>
internal sealed class QueryRunner(E2eOptions options, bool quick)
{
    private const string Type = "big";
    private const string Index = "status";
    private const int StatusValues = 10;
    private const int PageSize = 100;
    private const int ServicePartitions = 64;

    /// <summary>The floor: one sorted set holding every root's entry, as an unpartitioned index would.</summary>
    private static readonly RedisKey FloorKey = "bench/floor";

    public async Task<int> RunAsync()
    {
        var started = DateTimeOffset.Now;
        var loadAtStart = CpuMeter.LoadAverage();
        var sizes = quick ? new[] { 10_000, 100_000 } : [10_000, 1_000_000];
        Log("starting Redis and one silo");
        await using var bench = await BenchCluster.StartAsync(1, http: false, perfMaps: options.Profile);
        var profile = new StringBuilder();
        var client = bench.Client;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Query benchmark, {started:yyyy-MM-dd HH:mm zzz}: {options.Callers} callers, {options.Repetitions} × {options.Duration.TotalSeconds:0} s per path after {options.Warmup.TotalSeconds:0} s warm-up; medians; one Redis, one silo, {ServicePartitions} partitions; {Machine.Describe()}; load average at start {loadAtStart}");
        md.AppendLine();

        // Writes with and without two indexes, before the big type fills Redis.
        var writes = await MeasureWritesAsync(bench);
        if (options.Profile)
        {
            var load = new Workloads(client, options.Callers);
            profile.Append((await PerfProfile.RecordAsync(options.Duration, "silo: durable write, type with 2 indexes", bench.Silos[0].Pid,
                () => ClosedLoop.RunAsync(options.Callers, TimeSpan.Zero, options.Duration, load.RootWrite("w", options.Roots, "benchix"), bench.NewCpuMeter()))).Text);
            profile.Append((await PerfProfile.RecordAsync(options.Duration, "silo: durable write, type without indexes", bench.Silos[0].Pid,
                () => ClosedLoop.RunAsync(options.Callers, TimeSpan.Zero, options.Duration, load.RootWrite("w", options.Roots, "bench"), bench.NewCpuMeter()))).Text);
        }
        md.AppendLine("| path | ops/s | p50 ms | p99 ms | baseline | baseline ops/s | baseline p99 ms | ratio |");
        md.AppendLine("|---|--:|--:|--:|---|--:|--:|--:|");
        Row(md, writes);

        using var redis = await ConnectionMultiplexer.ConnectAsync(bench.RedisConnection);
        var store = new RootIndexStore("actors", ServicePartitions, new OrleansGrainStorageSerializer(((IClusterClient)client).ServiceProvider.GetRequiredService<Serializer>()));
        // The driver seeds on one Redis without replicas: nothing to wait for after a write.
        store.Attach(redis, redis, static (_, write) => write());
        Ensure(await client.GetIndex(Type, Index).DeclareAsync("/status"));
        var seeded = 0;
        var pages = new List<(int Roots, PairResult Pair)>();
        foreach (var size in sizes)
        {
            var elapsed = await SeedAsync(store, seeded, size);
            Log($"seeded {size - seeded:N0} roots in {elapsed.TotalSeconds:0.0} s ({(size - seeded) / elapsed.TotalSeconds:N0}/s)");
            seeded = size;
            var pair = await MeasurePagesAsync(bench, redis, size);
            Row(md, await MeasureEngineAsync(bench, redis, size));
            if (options.Profile && size == sizes[0])
            {
                var queries = Enumerable.Range(0, StatusValues).Select(v => new RootQuery(Type, Index, IndexCondition.Equal($"\"s{v}\""), Limit: PageSize)).ToArray();
                profile.Append((await PerfProfile.RecordAsync(options.Duration, $"silo: page of {PageSize} by eq, {size:N0} roots", bench.Silos[0].Pid,
                    () => ClosedLoop.RunAsync(options.Callers, TimeSpan.Zero, options.Duration, async (c, n) =>
                        (await client.QueryPageAsync(queries[(c + n) % StatusValues])).Items.Count == PageSize, bench.NewCpuMeter()))).Text);
            }
            pages.Add((size, pair));
            Row(md, pair);
        }

        var (buildRate, scanRate) = await MeasureBuildAsync(bench, redis, seeded);
        md.AppendLine();
        var small = pages[0].Pair;
        var large = pages[^1].Pair;
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Page p99 at {pages[^1].Roots:N0} roots ÷ p99 at {pages[0].Roots:N0}: {P99(large.Runs) / P99(small.Runs):0.00} (goal ≤ 2). Floor p99 ratio: {P99(large.BaselineRuns) / P99(small.BaselineRuns):0.00}.");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Index build over {seeded:N0} roots: {buildRate:N0} roots/s; SCAN over the same root keys: {scanRate:N0} keys/s; ratio {buildRate / scanRate:0.00}.");

        md.AppendLine(CultureInfo.InvariantCulture, $"Load average at the end: {CpuMeter.LoadAverage()}.");
        var report = md.ToString();
        Console.WriteLine(report);
        var directory = Path.Combine(RepositoryRoot.Find(), "results");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{started:yyyy-MM-dd-HHmm}-{(await Commit.DescribeAsync()).Split(' ')[0]}-query.md");
        await File.WriteAllTextAsync(file, report);
        Log($"wrote {file}");
        if (profile.Length > 0)
        {
            await File.WriteAllTextAsync(Path.ChangeExtension(file, null) + "-perf.txt", profile.ToString());
            Log($"wrote {Path.ChangeExtension(file, null)}-perf.txt");
        }
        return 0;
    }

    private async Task<PairResult> MeasureWritesAsync(BenchCluster bench)
    {
        var client = bench.Client;
        foreach (var (name, pointer) in new[] { ("count", "/count"), ("title", "/title") })
        {
            Ensure(await client.GetIndex("benchix", name).DeclareAsync(pointer));
        }
        var load = new Workloads(client, options.Callers);
        var pair = new PairResult("indexed-write", "durable write, type with 2 indexes", "same write, type without indexes", 0.85, [], []);
        // Both paths for at least 10 s each before either is measured: these are the first loops after the silo
        // starts, and with the quick run's 2 s the indexed path (measured first) still paid for the silo's JIT
        // tiering — 0.36–0.55 with twice the silo CPU per write, against 0.98 at equal CPU after 10 s (docs/performance.md).
        var warm = TimeSpan.FromSeconds(Math.Max(10, options.Warmup.TotalSeconds));
        Log($"writes, warming both paths for {warm.TotalSeconds:0} s each");
        await Closed(bench, TimeSpan.Zero, load.RootWrite("w", options.Roots, "benchix"), warm);
        await Closed(bench, TimeSpan.Zero, load.RootWrite("w", options.Roots, "bench"), warm);
        for (var rep = 0; rep < options.Repetitions; rep++)
        {
            Log($"writes, repetition {rep + 1}/{options.Repetitions}");
            var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
            await E2eRunner.MeasureAsync(pair, rep % 2 == 1,
                () => Closed(bench, warmup, load.RootWrite("w", options.Roots, "benchix")),
                () => Closed(bench, warmup, load.RootWrite("w", options.Roots, "bench")));
        }
        return pair;
    }

    private async Task<PairResult> MeasurePagesAsync(BenchCluster bench, ConnectionMultiplexer redis, int roots)
    {
        var client = bench.Client;
        var queries = Enumerable.Range(0, StatusValues)
            .Select(v => new RootQuery(Type, Index, IndexCondition.Equal($"\"s{v}\""), Limit: PageSize)).ToArray();
        var db = redis.GetDatabase();
        var floors = Enumerable.Range(0, StatusValues).Select(v =>
        {
            var value = IndexValue.EncodeString($"s{v}");
            return (Key: FloorKey,
                Min: (RedisValue)Concat("["u8.ToArray(), value, [IndexValue.Separator]), Max: (RedisValue)Concat("("u8.ToArray(), value, [1]));
        }).ToArray();
        var pair = new PairResult($"page-{roots}", $"page of {PageSize} by eq, {roots:N0} roots", $"one ZRANGEBYLEX of {PageSize}", 0.3, [], []);
        for (var rep = 0; rep < options.Repetitions; rep++)
        {
            Log($"pages at {roots:N0} roots, repetition {rep + 1}/{options.Repetitions}");
            var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
            await E2eRunner.MeasureAsync(pair, rep % 2 == 1,
                () => Closed(bench, warmup, async (c, n) =>
                {
                    var page = await client.QueryPageAsync(queries[(c + n) % StatusValues]);
                    return page.Succeeded && page.Items.Count == PageSize;
                }),
                () => Closed(bench, warmup, async (c, n) =>
                {
                    var (key, min, max) = floors[(c + n) % StatusValues];
                    var result = await db.ExecuteAsync("ZRANGE", key, min, max, "BYLEX", "LIMIT", 0, PageSize);
                    return ((RedisResult[])result!).Length == PageSize;
                }));
        }
        return pair;
    }

    /// <summary>
    /// The query engine itself in this process (no grain call), reading by primary next to reading partition by
    /// partition, back to back on the same Redis and data: <c>driver</c> cores are the engine's CPU, <c>redis</c> Redis'.
    /// </summary>
    private async Task<PairResult> MeasureEngineAsync(BenchCluster bench, ConnectionMultiplexer redis, int roots)
    {
        var serializer = new OrleansGrainStorageSerializer(((IClusterClient)bench.Client).ServiceProvider.GetRequiredService<Serializer>());
        var byPrimary = new RootIndexStore("actors", ServicePartitions, serializer) { ReadByPrimary = true };
        var byPartition = new RootIndexStore("actors", ServicePartitions, serializer) { ReadByPrimary = false };
        byPrimary.Attach(redis, redis, static (_, write) => write());
        byPartition.Attach(redis, redis, static (_, write) => write());
        var queries = Enumerable.Range(0, StatusValues)
            .Select(v => new RootQuery(Type, Index, IndexCondition.Equal($"\"s{v}\""), Limit: PageSize)).ToArray();
        Func<int, long, Task<bool>> Pages(RootIndexStore store)
        {
            var engine = new QueryEngine(store);
            return async (c, n) => (await engine.QueryAsync(queries[(c + n) % StatusValues])).Items.Count == PageSize;
        }
        var pair = new PairResult($"engine-{roots}", $"engine page by primary, {roots:N0} roots", "engine page per partition", null, [], []);
        for (var rep = 0; rep < options.Repetitions; rep++)
        {
            Log($"engine pages at {roots:N0} roots, repetition {rep + 1}/{options.Repetitions}");
            var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
            await E2eRunner.MeasureAsync(pair, rep % 2 == 1, () => Closed(bench, warmup, Pages(byPrimary)), () => Closed(bench, warmup, Pages(byPartition)));
        }
        if (byPartition.PagesByPrimary != 0 || byPrimary.PagesByPartition != 0)
        {
            throw new InvalidOperationException($"The engine pair mixed its paths: {byPrimary.PagesByPartition} fallbacks, {byPartition.PagesByPrimary} pages by primary.");
        }
        return pair;
    }

    /// <summary>Seeds roots <c>big/r{from}</c> to <c>big/r{to - 1}</c>, 1 in 10 with each status; returns the time taken.</summary>
    private static async Task<TimeSpan> SeedAsync(RootIndexStore store, int from, int to)
    {
        var indexes = await store.LoadAsync(Type);
        var db = store.WriteDatabase;
        var started = Stopwatch.GetTimestamp();
        const int Window = 4096;
        var inFlight = new List<Task<RedisResult>>(Window);
        for (var i = from; i < to; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"r{i:D8}");
            var state = new RootState
            {
                Document = string.Create(CultureInfo.InvariantCulture, $$"""{"status":"s{{i % StatusValues}}","n":{{i}},"title":"root {{i}}","done":false}"""),
                Version = 1,
            };
            var data = store.Serializer.Serialize(state).ToArray();
            var (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, id), state, indexes, "", Guid.NewGuid().ToString("N"), data);
            inFlight.Add(db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments));
            var entry = IndexValue.Entry(IndexValue.EncodeString($"s{i % StatusValues}"), id);
            inFlight.Add(AddToFloorAsync(db, entry));
            if (inFlight.Count == Window)
            {
                await Drain(inFlight);
            }
        }
        await Drain(inFlight);
        return Stopwatch.GetElapsedTime(started);

        static async Task<RedisResult> AddToFloorAsync(IDatabase db, byte[] entry)
        {
            await db.SortedSetAddAsync(FloorKey, entry, 0);
            return RedisResult.Create(1);
        }

        static async Task Drain(List<Task<RedisResult>> tasks)
        {
            foreach (var result in await Task.WhenAll(tasks))
            {
                if ((long)result != 1)
                {
                    throw new InvalidOperationException($"Seeding a root returned {(long)result}.");
                }
            }
            tasks.Clear();
        }
    }

    private static async Task<(double BuildRate, double ScanRate)> MeasureBuildAsync(BenchCluster bench, ConnectionMultiplexer redis, int roots)
    {
        Log($"building an index over {roots:N0} roots");
        var client = bench.Client;
        var started = Stopwatch.GetTimestamp();
        Ensure(await client.GetIndex(Type, "n").DeclareAsync("/n"));
        while ((await client.GetIndex(Type, "n").GetAsync()).Index!.State != IndexState.Ready)
        {
            await Task.Delay(50);
        }
        var build = Stopwatch.GetElapsedTime(started);

        Log("scanning the same keys");
        var server = redis.GetServers()[0];
        started = Stopwatch.GetTimestamp();
        long keys = 0;
        await foreach (var _ in server.KeysAsync(pattern: $"actors/{{actors/p*}}/root/*", pageSize: 1000))
        {
            keys++;
        }
        var scan = Stopwatch.GetElapsedTime(started);
        Log($"build {build.TotalSeconds:0.0} s, scan of {keys:N0} keys {scan.TotalSeconds:0.0} s");
        return (roots / build.TotalSeconds, keys / scan.TotalSeconds);
    }

    private Task<Sample> Closed(BenchCluster bench, TimeSpan warmup, Func<int, long, Task<bool>> operation, TimeSpan? duration = null) =>
        ClosedLoop.RunAsync(options.Callers, warmup, duration ?? options.Duration, operation, bench.NewCpuMeter());

    private static void Row(StringBuilder md, PairResult pair) => md.AppendLine(CultureInfo.InvariantCulture,
        $"| {pair.Path} | {pair.OpsPerSecond:N0} | {PairResult.Median(pair.Runs.Select(r => r.P50Ms)):0.00} | {P99(pair.Runs):0.00} | {pair.Baseline} | {pair.BaselineOpsPerSecond:N0} | {P99(pair.BaselineRuns):0.00} | {pair.Ratio:0.00}{(pair.Target is { } t ? (pair.Ratio >= t ? $" (goal {t:0.##}: met)" : $" (goal {t:0.##}: missed)") : "")} |");

    private static double P99(IEnumerable<Sample> runs) => PairResult.Median(runs.Select(r => r.P99Ms));

    private static byte[] Concat(params byte[][] parts)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }
        var bytes = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(bytes.AsSpan(at));
            at += part.Length;
        }
        return bytes;
    }

    /// <summary>Stops the benchmark when a declaration was refused.</summary>
    private static void Ensure(IndexResult result)
    {
        if (result.Error is { } error)
        {
            throw new InvalidOperationException($"Declaring an index failed: {error.Message}");
        }
    }

    private static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

