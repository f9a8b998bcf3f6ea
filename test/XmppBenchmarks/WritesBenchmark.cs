using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Actors.TestInfrastructure.Processes;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBenchmarks;

/// <summary>
/// <c>writes</c> mode (issue 4's benchmark): XMPP writes with receipts through Prosody or ejabberd (<c>--server</c>) to a real silo process with the
/// bridge (real Redis, AOF everysec), next to raw round trips between two of our clients through the same server in the
/// same run, all with <see cref="BenchmarkSettings.Window"/> outstanding: of a one-character message (the goal's
/// baseline), and of a write's own stanzas (so the server's share of a write shows apart from ours). Prints a Markdown report.
/// </summary>
internal static class WritesBenchmark
{
    public const string SiloUser = "silo";
    public const string WriterUser = "app";
    public const string SiloName = "bench-silo";

    public static async Task<int> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var loadBefore = CpuMeter.LoadAverages();
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: cancellationToken);
        await using var server = await BenchServer.StartAsync(settings, settings.Tls ? XmppSecurity.StartTls : XmppSecurity.Plaintext, cancellationToken);
        foreach (var user in (string[])[SiloUser, WriterUser, OurClientBenchmark.PingUser(0), OurClientBenchmark.EchoUser(0)])
        {
            await server.RegisterAsync(user, OurClientBenchmark.Password, cancellationToken);
        }

        await using var silo = await SiloProcess.StartAsync(SiloOptions(redis, server, settings), cancellationToken);
        await silo.Process.WaitForOutputAsync(l => l.Contains("XMPP bridge online", StringComparison.Ordinal), TimeSpan.FromSeconds(60), cancellationToken);
        var siloJid = Jid.Parse($"{SiloUser}@{server.Domain}/{SiloName}");

        await using var writer = await XmppWriteLoad.ConnectAsync(server, WriterUser, siloJid, settings.Window, cancellationToken);
        Console.WriteLine($"Redis {redis.ConnectionString} (AOF everysec), {server.Kind} 127.0.0.1:{server.Port} ({(settings.Tls ? "STARTTLS" : "plaintext")}), silo process {silo.Process.Pid} ({SiloName}); window {settings.Window}, {settings.Roots} roots, warm-up {settings.Warmup.TotalSeconds} s, measured {settings.Measure.TotalSeconds} s, {settings.Repetitions} repetitions");
        await writer.WaitUntilAcceptedAsync(TimeSpan.FromSeconds(60), cancellationToken);
        await writer.SeedAsync(settings.Roots, cancellationToken);

        var pids = new Dictionary<string, int>
        {
            ["server"] = BenchServer.Pid(server),
            ["silo"] = silo.Process.Pid,
            ["redis"] = redis.Process!.Pid,
            ["benchmark"] = Environment.ProcessId,
        };
        var runs = new List<(Measurement Raw, Measurement RawWriteStanzas, WriteMeasurement Writes)>();
        var emptyRepetitions = 0;
        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            // Alternate the order, so a drift in the machine's load hits every side.
            Measurement? raw = null;
            Measurement? rawWriteStanzas = null;
            WriteMeasurement? writes = null;
            foreach (var side in repetition % 2 == 1 ? (string[])["raw", "raw-write-stanzas", "writes"] : ["writes", "raw-write-stanzas", "raw"])
            {
                switch (side)
                {
                    case "raw":
                        raw = await OurClientBenchmark.RunAsync(server, 1, settings, cancellationToken);
                        Console.WriteLine($"[{repetition}] {raw}");
                        break;
                    case "raw-write-stanzas":
                        rawWriteStanzas = await OurClientBenchmark.RunAsync(server, 1, settings, cancellationToken, writeShaped: true);
                        Console.WriteLine($"[{repetition}] {rawWriteStanzas}");
                        break;
                    default:
                        writes = await writer.MeasureAsync(settings, pids, cancellationToken);
                        Console.WriteLine($"[{repetition}] {writes}");
                        break;
                }
            }

            if (raw!.RoundTrips == 0 || rawWriteStanzas!.RoundTrips == 0 || writes!.OpsPerSecond == 0)
            {
                // No ratio without both sides: left out of the medians, and the run ends non-zero.
                emptyRepetitions++;
                Console.WriteLine($"[{repetition}] measured nothing on one side, left out: {raw} / {rawWriteStanzas} / {writes}");
                continue;
            }

            runs.Add((raw, rawWriteStanzas, writes));
        }

        var loadAfter = CpuMeter.LoadAverages();
        Console.WriteLine();
        if (runs.Count == 0)
        {
            Console.WriteLine("No repetition measured both sides; there is no ratio to report.");
            return 1;
        }

        Console.Write(await ReportAsync(settings, runs, loadBefore, loadAfter));
        if (emptyRepetitions > 0)
        {
            Console.WriteLine($"{emptyRepetitions} of {settings.Repetitions} repetitions measured nothing on one side and are left out of the medians above.");
        }

        var unanswered = runs.Sum(r => r.Writes.Unanswered + r.Raw.Unanswered + r.RawWriteStanzas.Unanswered);
        if (unanswered > 0)
        {
            Console.WriteLine($"{unanswered} messages were never answered (the table's last column says on which side).");
        }

        return runs.Sum(r => r.Writes.Errors) == 0 && unanswered == 0 && emptyRepetitions == 0 ? 0 : 1;
    }

    internal static SiloProcessOptions SiloOptions(RedisServer redis, IXmppTestServer server, BenchmarkSettings settings)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Actors__Xmpp__Jid"] = $"{SiloUser}@{server.Domain}",
            ["Actors__Xmpp__Password"] = OurClientBenchmark.Password,
            ["Actors__Xmpp__Host"] = server.Host,
            ["Actors__Xmpp__Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["Actors__Xmpp__Writers__0"] = $"{WriterUser}@{server.Domain}",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (settings.Tls)
        {
            environment["Actors__Xmpp__TrustedCertificatePath"] = server.CertificatePath;
        }
        else
        {
            environment["Actors__Xmpp__AllowPlaintextOnLoopback"] = "true";
        }

        return new SiloProcessOptions
        {
            Redis = redis.ConnectionString,
            Name = SiloName,
            ClusterId = "xmpp-bench",
            ServiceId = "xmpp-bench",
            Environment = environment,
        };
    }

    private static async Task<string> ReportAsync(
        BenchmarkSettings settings, List<(Measurement Raw, Measurement RawWriteStanzas, WriteMeasurement Writes)> runs, string loadBefore, string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(c, $"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        report.AppendLine(c, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {await GitCommitAsync()}; load average (1/5/15 min) {loadBefore} before, {loadAfter} after.");
        report.AppendLine(c, $"{settings.Server} {(settings.Tls ? "STARTTLS" : "plaintext")} on loopback; Redis AOF everysec; one silo process; window {settings.Window} outstanding; {settings.Roots} roots; {settings.Warmup.TotalSeconds:0} s warm-up, {settings.Measure.TotalSeconds:0} s measured; medians of {settings.Repetitions} repetitions.");
        report.AppendLine();
        report.AppendLine($"| path (same run, same {settings.Server}) | ops/s | p50 (ms) | p99 (ms) | {settings.Server} CPU | silo CPU | Redis CPU | benchmark CPU | other (not ours) | errors / unanswered |");
        report.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var w = runs.Select(r => r.Writes).ToList();
        var r = runs.Select(r => r.Raw).ToList();
        var rw = runs.Select(r => r.RawWriteStanzas).ToList();
        report.AppendLine(c, $"| XMPP write (patch) with receipt, writer client → silo → receipt | {Median(w.Select(x => x.OpsPerSecond)):F0} | {Median(w.Select(x => x.P50Ms)):F2} | {Median(w.Select(x => x.P99Ms)):F2} | {Median(w.Select(x => x.Cores["server"])):F2} | {Median(w.Select(x => x.Cores["silo"])):F2} | {Median(w.Select(x => x.Cores["redis"])):F2} | {Median(w.Select(x => x.Cores["benchmark"])):F2} | {Median(w.Select(x => x.OtherCores)):F2} | {w.Sum(x => x.Errors)} / {w.Sum(x => x.Unanswered)} |");
        report.AppendLine(c, $"| raw message round trip, our client → our client → back | {Median(r.Select(x => x.RoundTripsPerSecond)):F0} | {Median(r.Select(x => x.P50Ms)):F2} | {Median(r.Select(x => x.P99Ms)):F2} | {Median(r.Select(x => x.ServerCores)):F2} | | | {Median(r.Select(x => x.ClientCores)):F2} | | – / {r.Sum(x => x.Unanswered)} |");
        report.AppendLine(c, $"| raw round trip of a write's stanzas, our client → our client → receipt | {Median(rw.Select(x => x.RoundTripsPerSecond)):F0} | {Median(rw.Select(x => x.P50Ms)):F2} | {Median(rw.Select(x => x.P99Ms)):F2} | {Median(rw.Select(x => x.ServerCores)):F2} | | | {Median(rw.Select(x => x.ClientCores)):F2} | | – / {rw.Sum(x => x.Unanswered)} |");
        report.AppendLine();
        var ratios = runs.Select(x => x.Writes.OpsPerSecond / x.Raw.RoundTripsPerSecond).ToList();
        var sameStanzaRatios = runs.Select(x => x.Writes.OpsPerSecond / x.RawWriteStanzas.RoundTripsPerSecond).ToList();
        report.AppendLine(c, $"{settings.Server} CPU per operation: write {Median(w.Select(x => x.Cores["server"] * 1e6 / x.OpsPerSecond)):F0} µs, raw round trip {Median(r.Select(x => x.ServerMicrosPerRoundTrip)):F0} µs, raw round trip of a write's stanzas {Median(rw.Select(x => x.ServerMicrosPerRoundTrip)):F0} µs (medians).");
        report.AppendLine(c, $"Ratio writes/raw: **{Median(ratios):F2}** (median of per-repetition ratios {string.Join(", ", ratios.Select(x => x.ToString("F2", c)))}; goal ≥ 0.7).");
        report.AppendLine(c, $"Ratio writes/raw round trips of the same stanzas: **{Median(sameStanzaRatios):F2}** (per repetition {string.Join(", ", sameStanzaRatios.Select(x => x.ToString("F2", c)))}).");
        return report.ToString();
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    internal static async Task<string> GitCommitAsync()
    {
        try
        {
            var result = await ManagedProcess.RunAsync("git", ["rev-parse", "--short", "HEAD"], TimeSpan.FromSeconds(10));
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : "unknown";
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return "unknown";
        }
    }
}
