using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBenchmarks;

/// <summary>
/// <c>cluster</c> mode (issue 14): XMPP writes with receipts through a two-node ejabberd cluster, the writer on the other
/// node than the silo (each write and its receipt cross the cluster's Erlang distribution), next to the same writes with
/// the writer on the silo's own node — one cluster, one silo, one run, alternating — with the CPU of both nodes per write.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var loadBefore = CpuMeter.LoadAverages();
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: cancellationToken);
        await using var cluster = await EjabberdCluster.StartNewAsync(2, settings.Tls ? XmppSecurity.StartTls : XmppSecurity.Plaintext, cancellationToken: cancellationToken);
        foreach (var user in (string[])[WritesBenchmark.SiloUser, WritesBenchmark.WriterUser])
        {
            await cluster.RegisterAsync(user, OurClientBenchmark.Password, cancellationToken);
        }

        var (home, other) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var silo = await SiloProcess.StartAsync(WritesBenchmark.SiloOptions(redis, home, settings), cancellationToken);
        await silo.Process.WaitForOutputAsync(l => l.Contains("XMPP bridge online", StringComparison.Ordinal), TimeSpan.FromSeconds(60), cancellationToken);
        var siloJid = Jid.Parse($"{WritesBenchmark.SiloUser}@{cluster.Domain}/{WritesBenchmark.SiloName}");
        await using var same = await XmppWriteLoad.ConnectAsync(home, WritesBenchmark.WriterUser, siloJid, settings.Window, cancellationToken, "same-node");
        await using var cross = await XmppWriteLoad.ConnectAsync(other, WritesBenchmark.WriterUser, siloJid, settings.Window, cancellationToken, "other-node");
        Console.WriteLine($"Redis {redis.ConnectionString}, ejabberd cluster {home.NodeName} (silo) + {other.NodeName} ({(settings.Tls ? "STARTTLS" : "plaintext")}), silo process {silo.Process.Pid}; window {settings.Window}, {settings.Roots} roots, warm-up {settings.Warmup.TotalSeconds} s, measured {settings.Measure.TotalSeconds} s, {settings.Repetitions} repetitions");
        await same.WaitUntilAcceptedAsync(TimeSpan.FromSeconds(60), cancellationToken);
        await cross.WaitUntilAcceptedAsync(TimeSpan.FromSeconds(60), cancellationToken);
        await same.SeedAsync(settings.Roots, cancellationToken);

        var pids = new Dictionary<string, int>
        {
            ["node1"] = BenchServer.Pid(home),
            ["node2"] = BenchServer.Pid(other),
            ["silo"] = silo.Process.Pid,
            ["redis"] = redis.Process!.Pid,
            ["benchmark"] = Environment.ProcessId,
        };
        var runs = new List<(WriteMeasurement Same, WriteMeasurement Cross)>();
        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            WriteMeasurement? sameRun = null;
            WriteMeasurement? crossRun = null;
            // Alternate the order, so a drift in the machine's load hits both sides.
            foreach (var side in repetition % 2 == 1 ? (string[])["same", "cross"] : ["cross", "same"])
            {
                if (side == "same")
                {
                    sameRun = await same.MeasureAsync(settings, pids, cancellationToken);
                    Console.WriteLine($"[{repetition}] same node   {sameRun}");
                }
                else
                {
                    crossRun = await cross.MeasureAsync(settings, pids, cancellationToken);
                    Console.WriteLine($"[{repetition}] other node  {crossRun}");
                }
            }

            runs.Add((sameRun!, crossRun!));
        }

        Console.WriteLine();
        Console.Write(Report(settings, runs, loadBefore, CpuMeter.LoadAverages()));
        return runs.Sum(r => r.Same.Errors + r.Cross.Errors + r.Same.Unanswered + r.Cross.Unanswered) == 0 ? 0 : 1;
    }

    private static string Report(BenchmarkSettings settings, List<(WriteMeasurement Same, WriteMeasurement Cross)> runs, string loadBefore, string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(c, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average (1/5/15 min) {loadBefore} before, {loadAfter} after.");
        report.AppendLine(c, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Two ejabberd nodes in one cluster ({(settings.Tls ? "STARTTLS" : "plaintext")}), the silo on node 1; window {settings.Window}; {settings.Roots} roots; medians of {settings.Repetitions} repetitions.");
        report.AppendLine();
        report.AppendLine("| writer on | ops/s | p50 (ms) | p99 (ms) | node 1 CPU | node 2 CPU | ejabberd CPU per write (µs, both nodes) | silo CPU | other (not ours) | errors / unanswered |");
        report.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (name, list) in new[] { ("node 1 (the silo's)", runs.Select(r => r.Same).ToList()), ("node 2 (crossing the cluster)", runs.Select(r => r.Cross).ToList()) })
        {
            report.AppendLine(c, $"| {name} | {WritesBenchmark.Median(list.Select(x => x.OpsPerSecond)):F0} | {WritesBenchmark.Median(list.Select(x => x.P50Ms)):F2} | {WritesBenchmark.Median(list.Select(x => x.P99Ms)):F2} | {WritesBenchmark.Median(list.Select(x => x.Cores["node1"])):F2} | {WritesBenchmark.Median(list.Select(x => x.Cores["node2"])):F2} | {WritesBenchmark.Median(list.Select(ServerMicrosPerWrite)):F0} | {WritesBenchmark.Median(list.Select(x => x.Cores["silo"])):F2} | {WritesBenchmark.Median(list.Select(x => x.OtherCores)):F2} | {list.Sum(x => x.Errors)} / {list.Sum(x => x.Unanswered)} |");
        }

        var ratios = runs.Select(r => r.Cross.OpsPerSecond / r.Same.OpsPerSecond).ToList();
        report.AppendLine();
        report.AppendLine(c, $"Ratio other node / same node: **{WritesBenchmark.Median(ratios):F2}** (per repetition {string.Join(", ", ratios.Select(r => r.ToString("F2", c)))}).");
        return report.ToString();
    }

    private static double ServerMicrosPerWrite(WriteMeasurement m) => (m.Cores["node1"] + m.Cores["node2"]) * 1e6 / Math.Max(1, m.OpsPerSecond);
}
