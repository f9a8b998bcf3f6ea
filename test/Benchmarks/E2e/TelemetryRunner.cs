using System.Globalization;
using System.Text;
using Actors.Benchmarks.Progress;
using Actors.Contracts;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// <c>telemetry</c>: what OpenTelemetry and the dashboard cost (docs/performance.md, Telemetry overhead), measured in
/// one run as a ratio to a same-run baseline: two setups side by side on this machine, each its own Redis, silo and
/// gateway, one with the defaults (metrics, the dashboard's grain-call profiling; no traces without an exporter) and one
/// with <c>Actors:Telemetry:Enabled=false</c> and <c>Actors:Dashboard:Enabled=false</c>, measured back to back,
/// alternating which goes first, so the machine's drift and other people's load weigh on both.
/// </summary>
/// <remarks>
/// <c>--dashboard-off</c> turns the dashboard off on the "on" side too, leaving metrics alone against everything off:
/// the dashboard registers an OpenTelemetry reader of its own over Orleans' meter, so with it on every Orleans instrument
/// records, while without a reader (no OTLP endpoint, no <c>/metrics</c> listener) no instrument is even enabled.
/// </remarks>
internal sealed class TelemetryRunner(E2eOptions options, bool dashboardOff = false)
{
    private static readonly string[] OffArguments = ["--Actors:Telemetry:Enabled=false", "--Actors:Dashboard:Enabled=false"];

    private static readonly Dictionary<string, string?> OffEnvironment = new()
    {
        ["Actors__Telemetry__Enabled"] = "false",
        ["Actors__Dashboard__Enabled"] = "false",
    };

    public async Task<int> RunAsync()
    {
        var started = DateTimeOffset.Now;
        var loadAtStart = CpuMeter.LoadAverage();
        var measurement = Enumerable.Range(0, options.Repetitions)
            .Select(rep => 2 * ((rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds))) + options.Duration));
        var progress = new BenchProgress([TimeSpan.FromSeconds(20), .. measurement.SelectMany(m => options.Http ? new[] { m, m } : [m])]);
        Log(progress.Begin("starting both setups (telemetry off, the defaults) and preparing their roots"));
        Log($"telemetry: load average {loadAtStart}; {options.Repetitions} × ({options.Warmup.TotalSeconds:0} s warm-up first, {options.Duration.TotalSeconds:0} s measured)");
        await using var off = await BenchCluster.StartAsync(1, options.Http, options.Profile, clusterPrimaries: 0, OffArguments, OffEnvironment);
        await using var on = dashboardOff
            ? await BenchCluster.StartAsync(1, options.Http, options.Profile, clusterPrimaries: 0, ["--Actors:Dashboard:Enabled=false"],
                new Dictionary<string, string?> { ["Actors__Dashboard__Enabled"] = "false" })
            : await BenchCluster.StartAsync(1, options.Http, options.Profile, clusterPrimaries: 0, []);
        foreach (var cluster in new[] { off, on })
        {
            var client = cluster.Client;
            await Workloads.ForEachKeyAsync(options.Roots, options.Callers, async i =>
                (await client.GetGrain<IRootGrain>(Workloads.RootKey("r", i)).WriteAsync(WriteCommand.Put($"prep-{i}", Payloads.Document(i)))).Succeeded);
        }

        var onLabel = dashboardOff ? "metrics on, dashboard off" : "telemetry on (defaults)";
        var write = new PairResult("write", $"durable write (merge, ~500 B doc), Orleans client, {onLabel}", "the same, telemetry and dashboard off", null, [], []);
        var put = new PairResult("gateway-put", $"gateway PUT, wrk 64 connections, {onLabel}", "the same, telemetry and dashboard off", null, [], []);
        var body = Path.Combine(Path.GetTempPath(), $"actors-bench-body-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(body, Payloads.Document(7));
        var script = Path.Combine(AppContext.BaseDirectory, "E2e", "write.lua");
        try
        {
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                var warmup = rep == 0 ? options.Warmup : TimeSpan.FromSeconds(Math.Min(2, options.Warmup.TotalSeconds));
                var flip = rep % 2 == 1;
                var repetition = $"repetition {rep + 1}/{options.Repetitions}";
                Log(progress.Begin($"{repetition}, durable write on and off (load {CpuMeter.LoadAverage()})"));
                await E2eRunner.MeasureAsync(write, flip,
                    () => ClosedLoop.RunAsync(options.Callers, warmup, options.Duration, new Workloads(on.Client, options.Callers).RootWrite("r", options.Roots), on.NewCpuMeter()),
                    () => ClosedLoop.RunAsync(options.Callers, warmup, options.Duration, new Workloads(off.Client, options.Callers).RootWrite("r", options.Roots), off.NewCpuMeter()));
                if (options.Http && on.Gateway is not null && off.Gateway is not null)
                {
                    Log(progress.Begin($"{repetition}, gateway PUT on and off"));
                    var nonce = $"{rep}{Environment.TickCount64}";
                    await E2eRunner.MeasureAsync(put, flip,
                        () => Wrk.RunAsync($"http://127.0.0.1:{on.GatewayHttpPort}", options.Callers, warmup, options.Duration, on.NewCpuMeter(), script, "PUT", "no", nonce, body),
                        () => Wrk.RunAsync($"http://127.0.0.1:{off.GatewayHttpPort}", options.Callers, warmup, options.Duration, off.NewCpuMeter(), script, "PUT", "no", nonce, body));
                }
            }
        }
        catch
        {
            File.Delete(body);
            throw;
        }

        var loadAtEnd = CpuMeter.LoadAverage();
        var directory = Path.Combine(ReportWriter.ResultsDirectory, "telemetry-overhead");
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, ReportWriter.Stem(started, await Commit.DescribeAsync()) + (dashboardOff ? "-same-run-dashboard-off" : "-same-run"));
        if (options.Profile)
        {
            // After the table, not counted in it: each silo under perf during the same durable-write load, then each gateway
            // during the same PUT load, side by side.
            var profile = new StringBuilder();
            foreach (var (name, cluster) in new[] { ("telemetry on (defaults)", on), ("telemetry and dashboard off", off) })
            {
                var (text, _) = await PerfProfile.RecordAsync(options.Duration, $"silo, {name}: durable write", cluster.Silos[0].Pid,
                    () => ClosedLoop.RunAsync(options.Callers, TimeSpan.Zero, options.Duration, new Workloads(cluster.Client, options.Callers).RootWrite("r", options.Roots), cluster.NewCpuMeter()));
                profile.Append(text);
            }
            foreach (var (name, cluster) in new[] { ("telemetry on (defaults)", on), ("telemetry and dashboard off", off) })
            {
                if (cluster.Gateway is not { } gateway)
                {
                    continue;
                }
                var (text, _) = await PerfProfile.RecordAsync(options.Duration, $"gateway, {name}: PUT", gateway.Pid,
                    () => Wrk.RunAsync($"http://127.0.0.1:{cluster.GatewayHttpPort}", options.Callers, TimeSpan.Zero, options.Duration, cluster.NewCpuMeter(), script, "PUT", "no", "profile", body));
                profile.Append(text);
            }
            await File.WriteAllTextAsync(stem + "-perf.txt", profile.ToString());
            Log($"wrote {stem}-perf.txt");
        }

        File.Delete(body);

        var pairs = put.Runs.Count > 0 ? new[] { write, put } : [write];
        var report = Markdown(pairs, started, loadAtStart, loadAtEnd, await Commit.DescribeAsync());
        Console.WriteLine(report);
        await File.WriteAllTextAsync(stem + ".md", report);
        Log($"wrote {stem}.md");
        return 0;
    }

    /// <summary>CPU of <paramref name="group"/> (silos, gateway, redis) per operation, in microseconds.</summary>
    private static double Micros(Sample sample, string group) => sample.Cpu.GetValueOrDefault(group) / Math.Max(1, sample.OpsPerSecond) * 1e6;

    private string Markdown(IEnumerable<PairResult> pairs, DateTimeOffset started, string loadAtStart, string loadAtEnd, string commit)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Telemetry overhead ({(dashboardOff ? "on = metrics only, dashboard off" : "on = the defaults: metrics and dashboard")}; off = both off), same run, {started:yyyy-MM-dd HH:mm zzz}, commit `{commit}`: {options.Callers} callers, {options.Roots} roots, {options.Repetitions} × {options.Duration.TotalSeconds:0} s per side after {options.Warmup.TotalSeconds:0} s warm-up; {Machine.Describe()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) at start {loadAtStart}, at end {loadAtEnd}.");
        md.AppendLine();
        md.AppendLine("| path | rep | ops/s on | ops/s off | on ÷ off | silo µs/op on | off | gateway µs/op on | off | other cores |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var pair in pairs)
        {
            for (var i = 0; i < pair.Runs.Count; i++)
            {
                var (a, b) = (pair.Runs[i], pair.BaselineRuns[i]);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {pair.Id} | {i + 1} | {a.OpsPerSecond:N0} | {b.OpsPerSecond:N0} | {a.OpsPerSecond / b.OpsPerSecond:0.000} | {Micros(a, "silos"):0.0} | {Micros(b, "silos"):0.0} | {Micros(a, "gateway"):0.0} | {Micros(b, "gateway"):0.0} | {a.Cpu.GetValueOrDefault("other"):0.00} / {b.Cpu.GetValueOrDefault("other"):0.00} |");
            }
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {pair.Id} | median | {pair.OpsPerSecond:N0} | {pair.BaselineOpsPerSecond:N0} | {pair.Ratio:0.000} | {PairResult.Median(pair.Runs.Select(r => Micros(r, "silos"))):0.0} | {PairResult.Median(pair.BaselineRuns.Select(r => Micros(r, "silos"))):0.0} | {PairResult.Median(pair.Runs.Select(r => Micros(r, "gateway"))):0.0} | {PairResult.Median(pair.BaselineRuns.Select(r => Micros(r, "gateway"))):0.0} | |");
        }
        return md.ToString();
    }

    private static void Log(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
