using System.Globalization;
using Actors.TestInfrastructure.Processes;
using Actors.TestInfrastructure.Xmpp;

namespace Actors.XmppBenchmarks;

/// <summary>The same round trip between two slixmpp clients (separate python processes) through the same server.</summary>
internal static class SlixmppBenchmark
{
    public const string PingUser = "slixping";
    public const string EchoUser = "slixecho";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<Measurement> RunAsync(IXmppTestServer server, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "slix_bench.py");
        var echoJid = $"{EchoUser}@{server.Domain}/bench";
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        await using var echo = await SlixmppScript.StartAsync(script, ["echo", echoJid, OurClientBenchmark.Password, server.Host, port], cancellationToken);
        await echo.WaitForOutputAsync(l => l == "READY", ReadyTimeout, cancellationToken);
        await using var ping = await SlixmppScript.StartAsync(
            script,
            ["ping", $"{PingUser}@{server.Domain}/bench", OurClientBenchmark.Password, server.Host, port, echoJid,
                settings.Window.ToString(CultureInfo.InvariantCulture),
                settings.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                settings.Measure.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
            cancellationToken);

        // The pinger starts its clock at session start, shortly after launch; login takes well under the warm-up.
        await Task.Delay(settings.Warmup, cancellationToken);
        int[] pids = [BenchServer.Pid(server), echo.Pid, ping.Pid];
        var before = pids.Select(CpuMeter.ProcessTime).ToArray();
        var machineBefore = CpuMeter.MachineBusyTime();
        await Task.Delay(settings.Measure, cancellationToken);
        var after = pids.Select(CpuMeter.ProcessTime).ToArray();
        var machineCores = (CpuMeter.MachineBusyTime() - machineBefore) / settings.Measure;
        var line = await ping.WaitForOutputAsync(l => l.StartsWith("RESULT ", StringComparison.Ordinal) || l == "TIMEOUT", ReadyTimeout, cancellationToken);
        if (line == "TIMEOUT")
        {
            throw new InvalidOperationException($"The slixmpp pinger timed out:\n{ping.RecentOutput}");
        }

        var parts = line.Split(' ');
        var serverCores = (after[0] - before[0]) / settings.Measure;
        var clientCores = ((after[1] - before[1]) + (after[2] - before[2])) / settings.Measure;
        return new Measurement(
            "slixmpp",
            1,
            long.Parse(parts[1], CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(parts[2], CultureInfo.InvariantCulture)),
            double.Parse(parts[3], CultureInfo.InvariantCulture),
            double.Parse(parts[4], CultureInfo.InvariantCulture),
            serverCores,
            clientCores)
        {
            OtherCores = Math.Max(0, machineCores - serverCores - clientCores),
        };
    }
}
