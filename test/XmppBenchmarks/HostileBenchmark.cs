using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Tests.Hostile;

namespace Actors.XmppBenchmarks;

/// <summary>
/// <c>hostile</c> mode (issue 15's hostile-input run, timing half): the writes of <see cref="WritesBenchmark"/> to a
/// real silo process, measured alone and while one watcher account floods the same silo with everything in
/// <see cref="HostileWatcher"/>, alternating within one run. Prosody as deployed: mod_limits at 32 kB/s per client with
/// the silo's and the writer's accounts in <c>unlimited_jids</c> (<c>--prosody-limits off</c> to see the silo's own
/// defences alone). Goal: the writer's throughput flooded ≥ 0.8 of unflooded.
/// </summary>
internal static class HostileBenchmark
{
    public const string FlooderUser = "eve";

    public static async Task<int> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var loadBefore = CpuMeter.LoadAverages();
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: cancellationToken);
        await using var prosody = await ProsodyServer.StartNewAsync(
            new ProsodyServerOptions
            {
                Security = settings.Tls ? XmppSecurity.StartTls : XmppSecurity.Plaintext,
                RateLimits = settings.ProsodyLimits,
                UnlimitedJids = [$"{WritesBenchmark.SiloUser}@localhost", $"{WritesBenchmark.WriterUser}@localhost"],
                ExtraGlobalConfig = settings.ProsodyConfig,
            },
            cancellationToken);
        foreach (var user in (string[])[WritesBenchmark.SiloUser, WritesBenchmark.WriterUser, FlooderUser])
        {
            await prosody.RegisterAsync(user, OurClientBenchmark.Password, cancellationToken);
        }

        await using var silo = await SiloProcess.StartAsync(WritesBenchmark.SiloOptions(redis, prosody, settings), cancellationToken);
        await silo.Process.WaitForOutputAsync(l => l.Contains("XMPP bridge online", StringComparison.Ordinal), TimeSpan.FromSeconds(60), cancellationToken);
        var siloJid = Jid.Parse($"{WritesBenchmark.SiloUser}@{prosody.Domain}/{WritesBenchmark.SiloName}");
        await using var writer = await XmppWriteLoad.ConnectAsync(prosody, WritesBenchmark.WriterUser, siloJid, settings.Window, cancellationToken);
        Console.WriteLine($"Prosody 127.0.0.1:{prosody.Port} ({(settings.Tls ? "STARTTLS" : "plaintext")}, rate limits {(settings.ProsodyLimits ? "on" : "off")}), silo process {silo.Process.Pid}; window {settings.Window}, {settings.Roots} roots, warm-up {settings.Warmup.TotalSeconds} s, measured {settings.Measure.TotalSeconds} s, {settings.Repetitions} repetitions");
        await writer.WaitUntilAcceptedAsync(TimeSpan.FromSeconds(60), cancellationToken);
        await writer.SeedAsync(settings.Roots, cancellationToken);

        var pids = new Dictionary<string, int>
        {
            ["prosody"] = prosody.Process!.Pid,
            ["silo"] = silo.Process.Pid,
            ["redis"] = redis.Process!.Pid,
            ["benchmark"] = Environment.ProcessId,
        };
        var runs = new List<(WriteMeasurement Calm, WriteMeasurement Flooded, string Flooder)>();
        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            WriteMeasurement? calm = null;
            WriteMeasurement? flooded = null;
            var flooder = "";
            foreach (var side in repetition % 2 == 1 ? (string[])["calm", "flooded"] : ["flooded", "calm"])
            {
                if (side == "calm")
                {
                    calm = await writer.MeasureAsync(settings, pids, cancellationToken);
                    Console.WriteLine($"[{repetition}] unflooded {calm}");
                    continue;
                }

                await using var eve = new HostileWatcher(new XmppClientOptions
                {
                    Jid = Jid.Parse($"{FlooderUser}@{prosody.Domain}/flood"),
                    Password = OurClientBenchmark.Password,
                    Host = prosody.Host,
                    Port = prosody.Port,
                    AllowPlaintextOnLoopback = true,
                    TrustedCertificate = prosody.Certificate,
                }, siloJid);
                await eve.ConnectAsync(cancellationToken);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var flood = Task.Run(() => eve.RunAsync(stop.Token), CancellationToken.None);
                flooded = await writer.MeasureAsync(settings, pids, cancellationToken);
                await stop.CancelAsync();
                await flood;
                flooder = eve.ToString();
                Console.WriteLine($"[{repetition}] flooded   {flooded}");
                Console.WriteLine($"[{repetition}] {flooder}");
            }

            runs.Add((calm!, flooded!, flooder));
        }

        var c = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(c, $"Machine: {Environment.ProcessorCount} cores, {WritesBenchmark.CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        report.AppendLine(c, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {await WritesBenchmark.GitCommitAsync()}; load average (1/5/15 min) {loadBefore} before, {CpuMeter.LoadAverages()} after.");
        report.AppendLine(c, $"Prosody {(settings.Tls ? "STARTTLS" : "plaintext")} with rate limits {(settings.ProsodyLimits ? "on (32 kB/s; silo and writer unlimited)" : "off")}; Redis AOF everysec; one silo process; window {settings.Window}; {settings.Roots} roots; {settings.Warmup.TotalSeconds:0} s warm-up, {settings.Measure.TotalSeconds:0} s measured; medians of {settings.Repetitions} repetitions.");
        report.AppendLine();
        report.AppendLine("| writes | ops/s | p50 (ms) | p99 (ms) | Prosody CPU | silo CPU | benchmark CPU (writer + flooder) | errors / unanswered |");
        report.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (name, list) in new[] { ("unflooded", runs.Select(r => r.Calm).ToList()), ("while one watcher floods", runs.Select(r => r.Flooded).ToList()) })
        {
            report.AppendLine(c, $"| {name} | {WritesBenchmark.Median(list.Select(x => x.OpsPerSecond)):F0} | {WritesBenchmark.Median(list.Select(x => x.P50Ms)):F2} | {WritesBenchmark.Median(list.Select(x => x.P99Ms)):F2} | {WritesBenchmark.Median(list.Select(x => x.Cores["prosody"])):F2} | {WritesBenchmark.Median(list.Select(x => x.Cores["silo"])):F2} | {WritesBenchmark.Median(list.Select(x => x.Cores["benchmark"])):F2} | {list.Sum(x => x.Errors)} / {list.Sum(x => x.Unanswered)} |");
        }

        report.AppendLine();
        var ratios = runs.Select(r => r.Flooded.OpsPerSecond / r.Calm.OpsPerSecond).ToList();
        report.AppendLine(c, $"Ratio flooded/unflooded: **{WritesBenchmark.Median(ratios):F2}** (per repetition {string.Join(", ", ratios.Select(x => x.ToString("F2", c)))}; goal ≥ 0.8).");
        foreach (var (run, i) in runs.Select((r, i) => (r, i + 1)))
        {
            report.AppendLine(c, $"Repetition {i} {run.Flooder}.");
        }

        Console.WriteLine();
        Console.Write(report);
        return runs.Sum(r => r.Calm.Errors + r.Flooded.Errors + r.Calm.Unanswered + r.Flooded.Unanswered) == 0 ? 0 : 1;
    }
}
