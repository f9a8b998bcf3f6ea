using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Actors.TestInfrastructure.Processes;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBenchmarks;

// XMPP round-trip benchmark: our client vs slixmpp through one Prosody (or one ejabberd node: --server ejabberd), and the server's ceiling found by
// adding pairs of our clients. Prints a Markdown table for docs/xmpp.md. Run:
//   dotnet run -c Release --project test/XmppBenchmarks [-- --repetitions 3 --pairs 1,2,4,8 --warmup 2 --measure 5 --window 100]
// Writes mode: XMPP writes with receipts to a silo process vs raw round trips, same Prosody, same run (docs/xmpp-bridge.md):
//   dotnet run -c Release --project test/XmppBenchmarks -- writes [--server prosody|ejabberd --repetitions 3 --warmup 5 --measure 10 --window 100 --roots 1000 --security starttls]
// Hostile mode: the same writes, unflooded and while one watcher floods the silo (issue 15, docs/security.md):
//   dotnet run -c Release --project test/XmppBenchmarks -- hostile [--repetitions 3 --warmup 3 --measure 10 --prosody-limits on|off]
// Cluster mode: the same writes through a two-node ejabberd cluster, writer on the silo's node vs on the other (issue 14):
//   dotnet run -c Release --project test/XmppBenchmarks -- cluster [--repetitions 3 --warmup 5 --measure 10]
var writesMode = args.Length > 0 && args[0] == "writes";
var hostileMode = args.Length > 0 && args[0] == "hostile";
var clusterMode = args.Length > 0 && args[0] == "cluster";
var settings = BenchmarkSettings.Parse(writesMode || hostileMode || clusterMode ? args[1..] : args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var token = cancel.Token;
if (writesMode)
{
    return await WritesBenchmark.RunAsync(settings, token);
}

if (clusterMode)
{
    return await ClusterBenchmark.RunAsync(settings, token);
}

if (hostileMode)
{
    return await HostileBenchmark.RunAsync(settings, token);
}

var loadBefore = CpuMeter.LoadAverage();
// Plaintext on loopback: TLS would add the same per-byte cost to both clients and to the server, and this
// measures the clients' stanza handling, not AES.
await using var server = await BenchServer.StartAsync(settings, XmppSecurity.Plaintext, token);
var users = new List<string> { SlixmppBenchmark.PingUser, SlixmppBenchmark.EchoUser };
for (var pair = 0; pair < settings.Pairs.Max(); pair++)
{
    users.Add(OurClientBenchmark.PingUser(pair));
    users.Add(OurClientBenchmark.EchoUser(pair));
}

foreach (var user in users)
{
    await server.RegisterAsync(user, OurClientBenchmark.Password, token);
}

Console.WriteLine($"{server.Kind} on 127.0.0.1:{server.Port} (plaintext), window {settings.Window}, warm-up {settings.Warmup.TotalSeconds} s, measured {settings.Measure.TotalSeconds} s, {settings.Repetitions} repetitions");
var runs = new List<Measurement>();
for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
{
    var slix = await SlixmppBenchmark.RunAsync(server, settings, token);
    Console.WriteLine($"[{repetition}] {slix}");
    runs.Add(slix);
    foreach (var pairs in settings.Pairs)
    {
        var ours = await OurClientBenchmark.RunAsync(server, pairs, settings, token);
        Console.WriteLine($"[{repetition}] {ours}");
        runs.Add(ours);
    }

    // Like for like with slixmpp, which runs without XEP-0198: Prosody's stream management copies and stamps every
    // stanza it sends to a client, so our clients' acks cost the server CPU the slixmpp pair does not ask for.
    var plain = await OurClientBenchmark.RunAsync(server, settings.Pairs.Min(), settings with { StreamManagement = false }, token);
    Console.WriteLine($"[{repetition}] {plain}");
    runs.Add(plain);
}

var medians = runs.GroupBy(r => (r.Name, r.Pairs)).Select(g => new
{
    g.Key.Name,
    g.Key.Pairs,
    RoundTrips = Median(g.Select(r => r.RoundTripsPerSecond)),
    P50 = Median(g.Select(r => r.P50Ms)),
    P99 = Median(g.Select(r => r.P99Ms)),
    Server = Median(g.Select(r => r.ServerCores)),
    Client = Median(g.Select(r => r.ClientCores)),
    ClientMicrosPerRoundTrip = Median(g.Select(r => r.ClientCores * 1e6 / r.RoundTripsPerSecond)),
    ServerMicrosPerRoundTrip = Median(g.Select(r => r.ServerMicrosPerRoundTrip)),
    Other = Median(g.Select(r => r.OtherCores)),
}).ToList();

var slixmpp = medians.Single(m => m.Name == "slixmpp");
var ours1 = medians.Single(m => m.Name == "ours" && m.Pairs == settings.Pairs.Min());
var oursPlain = medians.Single(m => m.Name != "ours" && m.Name.StartsWith("ours", StringComparison.Ordinal));
var ceiling = medians.Where(m => m.Name == "ours").MaxBy(m => m.RoundTrips)!; // with XEP-0198, as the bridge runs
var commit = await GitCommitAsync();
var report = new StringBuilder();
var c = CultureInfo.InvariantCulture;
report.AppendLine(c, $"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {server.Kind} plaintext on loopback.");
report.AppendLine(c, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {commit}; load average (1 min) {loadBefore} before, {CpuMeter.LoadAverage()} after.");
report.AppendLine(c, $"Window {settings.Window} outstanding messages per pair; {settings.Warmup.TotalSeconds:0} s warm-up, {settings.Measure.TotalSeconds:0} s measured; medians of {settings.Repetitions} repetitions.");
report.AppendLine();
report.AppendLine(c, $"| Clients | Pairs | Round trips/s | p50 (ms) | p99 (ms) | {server.Kind} CPU (cores) | {server.Kind} CPU per round trip (µs) | Client CPU (cores) | Client CPU per round trip (µs) | other (not ours, cores) |");
report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var m in medians)
{
    report.AppendLine(c, $"| {m.Name} | {m.Pairs} | {m.RoundTrips:F0} | {m.P50:F2} | {m.P99:F2} | {m.Server:F2} | {m.ServerMicrosPerRoundTrip:F0} | {m.Client:F2} | {m.ClientMicrosPerRoundTrip:F0} | {m.Other:F2} |");
}

report.AppendLine();
report.AppendLine(c, $"ours/slixmpp (1 pair each, both without XEP-0198): {oursPlain.RoundTrips / slixmpp.RoundTrips:F2}× (goal ≥ 2)");
report.AppendLine(c, $"ours with XEP-0198/slixmpp without (1 pair each): {ours1.RoundTrips / slixmpp.RoundTrips:F2}×");
report.AppendLine(c, $"ours (1 pair)/ceiling ({ceiling.RoundTrips:F0} round trips/s at {ceiling.Pairs} pairs): {ours1.RoundTrips / ceiling.RoundTrips:F2} (goal ≥ 0.9)");
Console.WriteLine();
Console.Write(report);
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string CpuModel() =>
    File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

static async Task<string> GitCommitAsync()
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
