using System.Globalization;
using Actors.Benchmarks.Grains;
using Actors.Benchmarks.Progress;
using Actors.Contracts;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Processes;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// <c>e2e</c>: starts every server it needs, measures each path next to its baseline in the same run (pairs
/// interleaved, order alternating per repetition so drift hits both sides), and writes results/ and docs/performance.md.
/// </summary>
internal sealed class E2eRunner(E2eOptions options)
{
    private const int HotKeys = 64;
    private readonly List<string> _notes = [];
    private BenchProgress _progress = null!;

    public async Task<int> RunAsync()
    {
        var loadAtStart = CpuMeter.LoadAverage();
        var started = DateTimeOffset.Now;
        Log($"e2e: load average {loadAtStart}; {options.Repetitions} × ({options.Warmup.TotalSeconds:0} s warm-up first, {options.Duration.TotalSeconds:0} s measured)");
        var pairs = new List<PairResult>();
        string? profile = null;
        _progress = new BenchProgress(Plan());

        await using (var cluster = await BenchCluster.StartAsync(1, options.Http, perfMaps: options.Profile))
        {
            var http = options.Http && cluster.Gateway is not null && await GatewayServesAsync(cluster);
            if (options.Http && !http)
            {
                _notes.Add($"Gateway rows skipped: the gateway at this commit does not serve /v1/roots ({cluster.GatewayError ?? "no answer"}).");
            }
            pairs.AddRange(await MeasurePairsAsync(cluster, http));
            if (options.Profile)
            {
                Log(_progress.Begin("perf profiles of the silo and the gateway"));
                profile = await ProfileAsync(cluster, http, started);
            }
        }

        MemoryResult? memory = null;
        if (options.Memory)
        {
            Log(_progress.Begin($"memory of {options.MemoryRoots:N0} roots and bare grains"));
            memory = await MeasureMemoryAsync();
        }

        var scaling = new List<ScalingResult>();
        if (options.Scaling)
        {
            for (var silos = 1; silos <= 3; silos++)
            {
                Log(_progress.Begin($"scaling, {silos} silo(s)"));
                scaling.Add(await MeasureScalingAsync(silos));
            }
        }

        var report = new RunReport(
            started.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            await Commit.DescribeAsync(),
            Machine.Describe(),
            loadAtStart,
            CpuMeter.LoadAverage(),
            $"{options.Callers} callers / wrk -t2 -c{options.Callers}; {options.Roots} roots; warm-up {options.Warmup.TotalSeconds:0} s; " +
            $"{options.Repetitions} × {options.Duration.TotalSeconds:0} s measured per path; medians",
            pairs, memory, scaling, profile, _notes);
        var written = ReportWriter.Write(report, options.UpdateDocs);
        Console.WriteLine(ReportWriter.Markdown(report));
        Log($"wrote {string.Join(", ", written)}");
        return 0;
    }

    private async Task<List<PairResult>> MeasurePairsAsync(BenchCluster cluster, bool http)
    {
        var load = new Workloads(cluster.Client, options.Callers);
        var client = cluster.Client;
        Log(_progress.Begin("preparing the roots"));
        Log("preparing: 1,000 roots and bare grains written once; 64 hot roots filled to a full write-id memory");
        await Workloads.ForEachKeyAsync(options.Roots, options.Callers, async i =>
            (await client.GetGrain<IRootGrain>(Workloads.RootKey("r", i)).WriteAsync(WriteCommand.Put($"prep-{i}", Payloads.Document(i)))).Succeeded);
        await Workloads.ForEachKeyAsync(options.Roots, options.Callers, async i =>
            await client.GetGrain<IBareGrain>("b" + i.ToString(CultureInfo.InvariantCulture)).WriteAsync(Payloads.BareState) > 0);
        var fill = await Workloads.ForEachKeyAsync(HotKeys * 1000, HotKeys, async i =>
        {
            var result = await client.GetGrain<IRootGrain>(Workloads.RootKey("hot", i % HotKeys)).WriteAsync(WriteCommand.Merge($"fill-{i}", Payloads.Document(i)));
            if (!result.Succeeded)
            {
                Log($"  fill-{i} on {result.Root} refused: {result.Error.Kind}: {result.Error.Message}");
            }
            return result.Succeeded;
        });
        Log($"  hot roots filled in {fill.TotalSeconds:0.0} s");

        var write = Pair("write", "durable write (merge, ~500 B doc), Orleans client, 64 callers × 1,000 roots",
            "bare grain WriteStateAsync (500 B) to the same Redis", 0.8);
        var hot = Pair("write-full-memory", "durable write, 64 roots each remembering 1,000 write ids",
            "bare grain WriteStateAsync (500 B), 64 grains", null);
        var read = Pair("read", "read of an active root (~500 B), Orleans client", "bare grain call returning a constant", null);
        var get = Pair("gateway-get", "gateway GET /v1/roots/bench/rN, wrk 64 connections", "ASP.NET minimal \"hello\", wrk 64 connections", 0.5);
        var patch = Pair("gateway-patch", "gateway PATCH (merge-patch, unique Idempotency-Key), wrk 64 connections",
            "durable write via Orleans client (row write)", 0.6);
        var put = Pair("gateway-put", "gateway PUT (no Idempotency-Key), wrk 64 connections", "durable write via Orleans client (row write)", 0.6);

        var body = Path.Combine(Path.GetTempPath(), $"actors-bench-body-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(body, Payloads.Document(7));
        var scripts = Path.Combine(AppContext.BaseDirectory, "E2e");
        var gatewayUrl = $"http://127.0.0.1:{cluster.GatewayHttpPort}";
        var helloUrl = $"http://127.0.0.1:{cluster.HelloHttpPort}";
        try
        {
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                // A full warm-up before the first repetition; later ones continue from warm processes.
                var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
                var flip = rep % 2 == 1;
                Log($"repetition {rep + 1}/{options.Repetitions} (load {CpuMeter.LoadAverage()})");
                var repetition = $"repetition {rep + 1}/{options.Repetitions}";
                if (http)
                {
                    Log(_progress.Begin($"{repetition}, gateway GET and its baseline"));
                    await MeasureAsync(get, flip,
                        () => Wrk.RunAsync(gatewayUrl, options.Callers, warmup, options.Duration, cluster.NewCpuMeter(), Path.Combine(scripts, "read.lua"), "/v1/roots/bench/r"),
                        () => Wrk.RunAsync(helloUrl, options.Callers, warmup, options.Duration, cluster.NewCpuMeter(), Path.Combine(scripts, "read.lua"), "/hello/r"));
                }
                Log(_progress.Begin($"{repetition}, read and its baseline"));
                await MeasureAsync(read, flip,
                    () => Closed(cluster, warmup, load.RootRead("r", options.Roots)),
                    () => Closed(cluster, warmup, load.BarePing("b", options.Roots)));
                Log(_progress.Begin($"{repetition}, write to a full write-id memory and its baseline"));
                await MeasureAsync(hot, flip,
                    () => Closed(cluster, warmup, load.RootWrite("hot", HotKeys)),
                    () => Closed(cluster, warmup, load.BareWrite("hot", HotKeys)));
                Log(_progress.Begin($"{repetition}, durable write and its baseline"));
                await MeasureAsync(write, flip,
                    () => Closed(cluster, warmup, load.RootWrite("r", options.Roots)),
                    () => Closed(cluster, warmup, load.BareWrite("b", options.Roots)));
                if (http)
                {
                    // Right after the durable write they are compared with, and in alternating order, so that Redis'
                    // growing append-only file (and its rewrites) weighs on both gateway writes and their baseline alike.
                    Log(_progress.Begin($"{repetition}, gateway PUT and PATCH"));
                    var nonce = $"{rep}{Environment.TickCount64}";
                    foreach (var (pair, method, key) in flip ? new[] { (put, "PUT", "no"), (patch, "PATCH", "yes") } : [(patch, "PATCH", "yes"), (put, "PUT", "no")])
                    {
                        var sample = await Wrk.RunAsync(gatewayUrl, options.Callers, warmup, options.Duration, cluster.NewCpuMeter(), Path.Combine(scripts, "write.lua"), method, key, nonce, body);
                        Report(pair.Path, sample);
                        pair.Runs.Add(sample);
                        pair.BaselineRuns.Add(write.Runs[^1]);
                    }
                }
            }
        }
        finally
        {
            File.Delete(body);
        }
        return http ? [write, hot, read, get, patch, put] : [write, hot, read];
    }

    /// <summary>
    /// What each step of <see cref="RunAsync"/> should take, in its order, for the progress lines: a measurement is its
    /// warm-up and duration; starting a setup and preparing its roots about 15 s; the memory step about 30 s per
    /// 100,000 roots (roots and bare grains written once each).
    /// </summary>
    private List<TimeSpan> Plan()
    {
        var setup = TimeSpan.FromSeconds(15);
        var plan = new List<TimeSpan> { setup };
        for (var rep = 0; rep < options.Repetitions; rep++)
        {
            var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
            var pair = 2 * (warmup + options.Duration);
            plan.AddRange(options.Http ? [pair, pair, pair, pair, pair] : [pair, pair, pair]);
        }
        if (options.Profile)
        {
            plan.Add((options.Http ? 4 : 2) * options.Duration);
        }
        if (options.Memory)
        {
            plan.Add(setup + TimeSpan.FromSeconds(30 * options.MemoryRoots / 100_000.0));
        }
        if (options.Scaling)
        {
            plan.AddRange(Enumerable.Repeat(setup + 2 * (options.Warmup + options.Duration), 3));
        }
        return plan;
    }

    private Task<Sample> Closed(BenchCluster cluster, TimeSpan warmup, Func<int, long, Task<bool>> operation) =>
        ClosedLoop.RunAsync(options.Callers, warmup, options.Duration, operation, cluster.NewCpuMeter());

    /// <summary>Measures a path and its baseline back to back, in the order <paramref name="baselineFirst"/> says; the storage runner uses it too.</summary>
    internal static async Task MeasureAsync(PairResult pair, bool baselineFirst, Func<Task<Sample>> path, Func<Task<Sample>> baseline)
    {
        if (baselineFirst)
        {
            pair.BaselineRuns.Add(Report(pair.Baseline, await baseline()));
            pair.Runs.Add(Report(pair.Path, await path()));
        }
        else
        {
            pair.Runs.Add(Report(pair.Path, await path()));
            pair.BaselineRuns.Add(Report(pair.Baseline, await baseline()));
        }
    }

    private static PairResult Pair(string id, string path, string baseline, double? target) => new(id, path, baseline, target, [], []);

    /// <summary>Waits (up to a minute) for the gateway's /readyz: it connects to the cluster in the background.</summary>
    private static async Task<bool> GatewayServesAsync(BenchCluster cluster)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{cluster.GatewayHttpPort}/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>
    /// perf record of the silo during a durable-write run (not counted in the table); the report, by self time,
    /// goes next to the results.
    /// </summary>
    private async Task<string?> ProfileAsync(BenchCluster cluster, bool http, DateTimeOffset started)
    {
        // Each path and its baseline under perf for the same time, so their profiles compare side by side: per module,
        // per symbol by self time, and per symbol including callees (where an operation's time goes).
        var load = new Workloads(cluster.Client, options.Callers);
        var silo = cluster.Silos[0].Pid;
        var report = new System.Text.StringBuilder();
        report.Append(await ProfileAsync("silo: durable write (merge, ~500 B doc)", silo,
            () => ClosedLoop.RunAsync(options.Callers, TimeSpan.Zero, options.Duration, load.RootWrite("r", options.Roots), cluster.NewCpuMeter())));
        report.Append(await ProfileAsync("silo: bare grain WriteStateAsync (500 B)", silo,
            () => ClosedLoop.RunAsync(options.Callers, TimeSpan.Zero, options.Duration, load.BareWrite("b", options.Roots), cluster.NewCpuMeter())));
        if (http)
        {
            var scripts = Path.Combine(AppContext.BaseDirectory, "E2e");
            report.Append(await ProfileAsync("gateway: GET /v1/roots/bench/rN", cluster.Gateway!.Pid,
                () => Wrk.RunAsync($"http://127.0.0.1:{cluster.GatewayHttpPort}", options.Callers, TimeSpan.Zero, options.Duration, cluster.NewCpuMeter(), Path.Combine(scripts, "read.lua"), "/v1/roots/bench/r")));
            report.Append(await ProfileAsync("hello: GET /hello/rN", cluster.Hello!.Pid,
                () => Wrk.RunAsync($"http://127.0.0.1:{cluster.HelloHttpPort}", options.Callers, TimeSpan.Zero, options.Duration, cluster.NewCpuMeter(), Path.Combine(scripts, "read.lua"), "/hello/r")));
        }

        var name = ReportWriter.Stem(started, await Commit.DescribeAsync()) + "-perf.txt";
        var path = Path.Combine(ReportWriter.ResultsDirectory, name);
        Directory.CreateDirectory(ReportWriter.ResultsDirectory);
        await File.WriteAllTextAsync(path, report.ToString());
        return name;
    }

    private async Task<string> ProfileAsync(string label, int pid, Func<Task<Sample>> workload)
    {
        var (text, sample) = await PerfProfile.RecordAsync(options.Duration, label, pid, workload);
        Report($"{label} under perf (not in the table)", sample);
        return text;
    }

    private async Task<MemoryResult> MeasureMemoryAsync()
    {
        Log($"memory: a fresh silo, then {options.MemoryRoots:N0} roots of ~500 B, then as many bare grains");
        await using var cluster = await BenchCluster.StartAsync(1, http: false);
        var client = cluster.Client;
        var probe = client.GetGrain<ISiloProbeGrain>(0);
        // Warm the call paths and JIT first, so the empty figure is not missing code that every later one carries.
        await Workloads.ForEachKeyAsync(options.Callers, options.Callers, async i =>
            (await client.GetGrain<IRootGrain>(Workloads.RootKey("warm", i)).WriteAsync(WriteCommand.Put($"w{i}", Payloads.Document(i)))).Succeeded);
        await Workloads.ForEachKeyAsync(options.Callers, options.Callers, async i =>
            await client.GetGrain<IBareGrain>("warm" + i.ToString(CultureInfo.InvariantCulture)).WriteAsync(Payloads.BareState) > 0);
        var empty = await probe.CollectAsync();
        var roots = await Workloads.ForEachKeyAsync(options.MemoryRoots, options.Callers, async i =>
            (await client.GetGrain<IRootGrain>(Workloads.RootKey("m", i)).WriteAsync(WriteCommand.Put($"w{i}", Payloads.Document(i)))).Succeeded);
        var withRoots = await probe.CollectAsync();
        var bare = await Workloads.ForEachKeyAsync(options.MemoryRoots, options.Callers, async i =>
            await client.GetGrain<IBareGrain>("m" + i.ToString(CultureInfo.InvariantCulture)).WriteAsync(Payloads.BareState) > 0);
        var withBare = await probe.CollectAsync();
        var result = new MemoryResult(options.MemoryRoots, empty, withRoots, withBare, roots.TotalSeconds, bare.TotalSeconds);
        Log($"  working set {empty.WorkingSetBytes / 1048576.0:0} → {withRoots.WorkingSetBytes / 1048576.0:0} → {withBare.WorkingSetBytes / 1048576.0:0} MiB; " +
            $"per root {result.WorkingSetPerRoot:0} B (heap {result.HeapPerRoot:0} B), per bare grain {result.WorkingSetPerBare:0} B (heap {result.HeapPerBare:0} B)");
        return result;
    }

    private async Task<ScalingResult> MeasureScalingAsync(int silos)
    {
        Log($"scaling: {silos} silo(s)");
        await using var cluster = await BenchCluster.StartAsync(silos, http: false);
        var client = cluster.Client;
        await Workloads.ForEachKeyAsync(options.Roots, options.Callers, async i =>
            (await client.GetGrain<IRootGrain>(Workloads.RootKey("r", i)).WriteAsync(WriteCommand.Put($"prep-{i}", Payloads.Document(i)))).Succeeded);
        var load = new Workloads(client, options.Callers);
        var write = Report($"durable write, {silos} silo(s)", await Closed(cluster, options.Warmup, load.RootWrite("r", options.Roots)));
        var bare = Report($"bare write, {silos} silo(s)", await Closed(cluster, options.Warmup, load.BareWrite("b", options.Roots)));
        return new ScalingResult(silos, write, bare);
    }

    private static Sample Report(string what, Sample sample)
    {
        var cpu = string.Join(' ', sample.Cpu.Select(kv => $"{kv.Key}={kv.Value:0.00}"));
        Log($"  {what}: {sample.OpsPerSecond:N0} ops/s, p50 {sample.P50Ms:0.00} ms, p99 {sample.P99Ms:0.00} ms, errors {sample.Errors}; cores {cpu}");
        return sample;
    }

    private static void Log(string line) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
