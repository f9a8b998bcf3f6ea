using System.Diagnostics;
using Actors.FaultInjection.Tests.Harness;
using Actors.TestInfrastructure.Load;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.FaultInjection.Tests;

/// <summary>
/// Issue 14's chaos scenarios (15–17): the XMPP side on a two-node ejabberd cluster; every silo and the XMPP writer are
/// configured with both nodes (<c>Actors:Xmpp:Servers</c>) and start on the one their JID hashes to; the watcher sits on
/// the other node.
/// </summary>
public sealed partial class FaultScenarioTests
{
    /// <summary>
    /// The node most silos and the writer start on (from their JIDs' hash, as the client picks it) and the other node, where
    /// the watcher connects so it sees the move from the surviving side; without a cluster, the one server twice.
    /// </summary>
    private static (EjabberdServer? Busiest, IXmppTestServer Watcher) BusiestXmppNode(EjabberdCluster? ejabberd, IXmppTestServer server, string account, string label)
    {
        if (ejabberd is null)
        {
            return (null, server);
        }

        var count = ejabberd.Nodes.Count;
        var writer = Jid.Parse($"{XmppLoadGenerator.WriterUser}@{server.Domain}/{XmppLoadGenerator.ResourceOf($"f{label}")}");
        var starts = Enumerable.Range(1, Silos).Select(i => Jid.Parse($"{account}/silo-{i}")).Append(writer)
            .Select(jid => XmppClient.FirstServerIndex(jid, count))
            .ToList();
        var busiest = Enumerable.Range(0, count).OrderByDescending(i => starts.Count(s => s == i)).ThenByDescending(i => starts[^1] == i).First();
        return (ejabberd.Nodes[busiest], ejabberd.Nodes[(busiest + 1) % count]);
    }

    /// <summary>
    /// SIGKILLs the ejabberd node most silos and the writer are on. Measures until every silo that was on it is
    /// <c>available</c> again to the watcher on the other node, and until every XMPP root takes a write again; then starts
    /// the node again on its spool (it rejoins) for the scenarios after this one.
    /// </summary>
    /// <remarks>
    /// With <paramref name="withSilo"/> (chaos 4, a lost machine) one silo on that node is SIGKILLed right after it: the
    /// server that held its session is gone, so only the surviving silos' repair (Orleans says Dead → ejabberd's admin
    /// API) can tell the watcher; it must see that silo <c>unavailable</c> within 5 s, and the others keep serving.
    /// </remarks>
    private static async Task KillEjabberdNodeAsync(EjabberdCluster ejabberd, EjabberdServer victim, FaultCluster cluster, XmppLoadGenerator xmpp, XmppWatcher watcher,
        Stopwatch clock, ScenarioFigures figures, CancellationToken ct, bool withSilo = false)
    {
        var endpoint = new XmppServerEndpoint(victim.Host, victim.Port);
        var count = ejabberd.Nodes.Count;
        var victimIndex = ejabberd.Nodes.ToList().IndexOf(victim);
        var moving = cluster.LiveSilos.Where(s => XmppClient.FirstServerIndex(SiloJid(victim, s), count) == victimIndex).ToList();
        var writerMoves = xmpp.Client.CurrentServer == endpoint;
        figures.Other["silos on the killed node"] = moving.Count;
        figures.Other["writer on the killed node"] = writerMoves ? 1 : 0;

        var killing = clock.Elapsed;
        victim.Kill();
        SiloProcess? lostSilo = null;
        Task<TimeSpan>? lostUnavailable = null;
        if (withSilo)
        {
            lostSilo = moving[0];
            lostSilo.Kill();
            moving.Remove(lostSilo);
            var jid = SiloJid(victim, lostSilo);
            lostUnavailable = watcher.WaitForAsync(p => p.From == jid && p.Type == PresenceType.Unavailable, killing, DeathTimeout, $"{jid} unavailable (repaired)", ct);
        }
        var killedAt = clock.Elapsed;
        figures.Other["kill call"] = (killedAt - killing).TotalSeconds;
        var presenceBack = await WaitUntilLiveSilosAvailableAsync(cluster, watcher, victim, killing, ct, s => moving.Contains(s));
        figures.Other["every silo available again"] = (presenceBack - killing).TotalSeconds;
        figures.Other["XMPP writes recovered"] = (await xmpp.WaitUntilRootsWriteAgainAsync(killedAt, RecoveryTimeout, ct)).TotalSeconds;
        xmpp.Client.CurrentServer.Should().NotBe(endpoint, "the writer moved to the surviving node");
        if (lostUnavailable is not null)
        {
            var unavailable = (await lostUnavailable) - killing;
            figures.Other["lost silo unavailable (repaired)"] = unavailable.TotalSeconds;
            foreach (var survivor in cluster.LiveSilos)
            {
                foreach (var line in survivor.RecentOutput.Split('\n').Where(l => l.Contains("Stale presence", StringComparison.Ordinal)).TakeLast(4))
                {
                    Log($"[{figures.Scenario}] {survivor.Name}: {line.Trim()}");
                }
            }
            // Issue 14 asks for 5 s. No server says unavailable for it; the survivor that was on the same node probes every
            // peer's silo port once its own session is back (0.5-1 s) and Orleans declares the refusing one dead at once,
            // then the repair says unavailable: 0.86-1.09 s here, where waiting for Orleans' own verdict took 4.1-6.3 s.
            unavailable.Should().BeLessThan(TimeSpan.FromSeconds(5), $"a silo lost with its XMPP node must not look available for long ({lostSilo!.Name})");
        }
        xmpp.Client.State.Should().Be(XmppConnectionState.Connected);

        var restarting = clock.Elapsed;
        await victim.StartAsync(ct);
        await RedisFixture.WaitUntilJoinedAsync(ejabberd, ct);
        figures.Other["node back in the cluster"] = (clock.Elapsed - restarting).TotalSeconds;
        Log($"[{figures.Scenario}] SIGKILL ejabberd node {victim.NodeName}{(lostSilo is null ? string.Empty : $" and silo {lostSilo.Name} (watcher saw it unavailable after {figures.Other["lost silo unavailable (repaired)"]:0.00} s)")} ({moving.Count} {(lostSilo is null ? string.Empty : "more ")}of {Silos} silos{(writerMoves ? " and the writer" : string.Empty)} on it): " +
            $"every silo available again to the watcher on the other node after {figures.Other["every silo available again"]:0.00} s, " +
            $"XMPP writes to every root after {figures.Other["XMPP writes recovered"]:0.00} s; node back in {figures.Other["node back in the cluster"]:0.0} s");
    }

    /// <summary>
    /// Issue 14, chaos 2: a rolling restart of the ejabberd cluster under load. Each node in turn — first the one most
    /// silos and the writer are on — is stopped gracefully (<c>ejabberdctl stop</c>) and started again on its spool; the
    /// next node waits until it is back in the cluster and a watcher on the other node sees every live silo
    /// <c>available</c> as its latest presence. Per node: until every silo that was on it is <c>available</c> again to
    /// that watcher, and until the writer's XMPP writes reach every root again.
    /// </summary>
    /// <remarks>
    /// Clients do not move back to a node that returns, so the second node carries every silo and the writer when it
    /// stops. The scenario's watcher sits on the node stopped second; for that node an operator session of its own on
    /// the first (restarted) node watches.
    /// </remarks>
    private static async Task RollingRestartEjabberdAsync(EjabberdCluster ejabberd, EjabberdServer first, FaultCluster cluster, XmppLoadGenerator xmpp, XmppWatcher watcher,
        string label, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var order = ejabberd.Nodes.OrderBy(n => n == first ? 0 : 1).ToList();
        for (var step = 0; step < order.Count; step++)
        {
            var node = order[step];
            var other = ejabberd.Nodes.First(n => n != node);
            var name = $"node {step + 1}";
            await using var ownWatcher = step == 0 ? null : await XmppWatcher.ConnectAsync(other, FaultXmpp.SiloAccount(other), $"{label}-n{step + 1}", clock, ct);
            var observer = ownWatcher ?? watcher;
            await WaitUntilLatestAvailableAsync(cluster, observer, other, ct);
            var sessions = await SessionNodesAsync(ejabberd, ct);
            sessions.GetValueOrDefault(observer.Jid.ToString()).Should().Be(other, $"the watcher of {name} is on the node that stays up");
            var endpoint = new XmppServerEndpoint(node.Host, node.Port);
            var moving = cluster.LiveSilos.Where(s => sessions.GetValueOrDefault(SiloJid(node, s).ToString()) == node).ToList();
            var writerMoves = xmpp.Client.CurrentServer == endpoint;
            figures.Counts[$"{name}: silos on it"] = moving.Count;
            figures.Counts[$"{name}: writer on it"] = writerMoves ? 1 : 0;

            // When the writer's session on the stopping node ended: its writes are measured from there.
            var gate = new Lock();
            TimeSpan? writerLost = null;
            void OnWriterState(object? sender, XmppConnectionStateChangedEventArgs e)
            {
                lock (gate)
                {
                    writerLost ??= e.State == XmppConnectionState.Reconnecting ? clock.Elapsed : null;
                }
            }

            xmpp.Client.StateChanged += OnWriterState;
            try
            {
                // Silos republish their presence now and then (statistics), so an `available` counts only once the silo
                // itself has logged the loss of its session on the stopping node: then it comes from the new session.
                var sessionLost = moving.ToDictionary(s => s, s => SessionLostAsync(s, clock, ct));
                var stopping = clock.Elapsed;
                await node.StopAsync(ct);
                figures.Other[$"{name}: graceful stop"] = (clock.Elapsed - stopping).TotalSeconds;
                var lastLost = stopping;
                var presenceBack = stopping;
                var longestMove = TimeSpan.Zero;
                foreach (var silo in moving)
                {
                    var jid = SiloJid(node, silo);
                    var lost = await sessionLost[silo];
                    var available = await observer.WaitForAsync(p => p.From == jid && p.IsAvailable, lost, RecoveryTimeout, $"{jid} available after its session on {node.NodeName} ended", ct);
                    lastLost = lost > lastLost ? lost : lastLost;
                    presenceBack = available > presenceBack ? available : presenceBack;
                    longestMove = available - lost > longestMove ? available - lost : longestMove;
                    var seen = observer.Seen(p => p.From == jid && p.At >= stopping);
                    Log($"[{figures.Scenario}] {name}: {silo.Name} lost its session {(lost - stopping).TotalSeconds:0.00} s after the stop began; the watcher saw " +
                        string.Join(", ", seen.Select(p => $"{p.Type}/{p.Show} {(p.At - stopping).TotalSeconds:0.00} s")));
                }
                figures.Other[$"{name}: every silo's session ended"] = (lastLost - stopping).TotalSeconds;
                figures.Other[$"{name}: every silo available again"] = (presenceBack - stopping).TotalSeconds;
                figures.Other[$"{name}: longest from session end to available"] = longestMove.TotalSeconds;
                var unavailable = moving.Select(s => observer.FirstSeen(p => p.From == SiloJid(node, s) && p.Type == PresenceType.Unavailable, stopping)).ToList();
                figures.Counts[$"{name}: unavailable seen"] = unavailable.Count(at => at is not null);

                var writesSince = stopping;
                if (writerMoves)
                {
                    var wait = Stopwatch.StartNew();
                    while (true)
                    {
                        lock (gate)
                        {
                            if (writerLost is { } lost)
                            {
                                writesSince = lost;
                                break;
                            }
                        }
                        wait.Elapsed.Should().BeLessThan(RecoveryTimeout, "the writer's session on the stopped node ends");
                        await Task.Delay(20, ct);
                    }
                    figures.Other[$"{name}: writer session lost"] = (writesSince - stopping).TotalSeconds;
                }
                figures.Other[$"{name}: XMPP writes recovered"] = (await xmpp.WaitUntilRootsWriteAgainAsync(writesSince, RecoveryTimeout, ct)).TotalSeconds;
                xmpp.Client.CurrentServer.Should().NotBe(endpoint, "the writer is on the node that stays up");

                var restarting = clock.Elapsed;
                await node.StartAsync(ct);
                await RedisFixture.WaitUntilJoinedAsync(ejabberd, ct);
                figures.Other[$"{name}: back in the cluster"] = (clock.Elapsed - restarting).TotalSeconds;
                var after = await SessionNodesAsync(ejabberd, ct);
                foreach (var silo in cluster.LiveSilos)
                {
                    after.GetValueOrDefault(SiloJid(node, silo).ToString()).Should().Be(other, $"{silo.Name} has its session on the node that stayed up");
                }
                await WaitUntilLatestAvailableAsync(cluster, observer, other, ct);
                figures.Other[$"{name}: every silo available before the next node"] = (clock.Elapsed - stopping).TotalSeconds;
            }
            finally
            {
                xmpp.Client.StateChanged -= OnWriterState;
            }

            Log($"[{figures.Scenario}] {name} ({node.NodeName}, {moving.Count} of {Silos} silos{(writerMoves ? " and the writer" : string.Empty)} on it) stopped in {figures.Other[$"{name}: graceful stop"]:0.00} s: " +
                $"every silo's session ended {figures.Other[$"{name}: every silo's session ended"]:0.00} s and every silo available again to the watcher on the other node " +
                $"{figures.Other[$"{name}: every silo available again"]:0.00} s after the stop began (at most {figures.Other[$"{name}: longest from session end to available"]:0.00} s after its session ended), " +
                $"XMPP writes to every root {figures.Other[$"{name}: XMPP writes recovered"]:0.00} s after {(writerMoves ? "the writer's session ended" : "the stop began")}; " +
                $"back in the cluster {figures.Other[$"{name}: back in the cluster"]:0.0} s after its restart");
        }
    }

    /// <summary>
    /// Issue 14, chaos 3: SIGKILLs the busiest (by roots) silo whose session is on the other node than the watcher's. The
    /// node that held the session ends it when the socket closes (silos ask for no resumption) and the cluster routes the
    /// <c>unavailable</c> to the watcher: it must arrive within 1 s of the SIGKILL, as with one server (scenario 1).
    /// </summary>
    private static async Task KillSiloWatcherOnOtherNodeAsync(EjabberdCluster ejabberd, EjabberdServer siloNode, FaultCluster cluster, HttpLoadGenerator load, XmppWatcher watcher,
        Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var sessions = await SessionNodesAsync(ejabberd, ct);
        sessions.GetValueOrDefault(watcher.Jid.ToString()).Should().NotBe(siloNode, "the watcher is on the other node");
        bool OnSiloNode(SiloProcess silo) => sessions.GetValueOrDefault(SiloJid(siloNode, silo).ToString()) == siloNode;
        figures.Counts["silos on the other node"] = cluster.LiveSilos.Count(OnSiloNode);
        figures.Counts["silos on the other node"].Should().BeGreaterThan(0, "a silo must have its session on the node the watcher is not on");

        var victim = await KillSiloAsync(cluster, load, clock, figures, ct, watcher, siloNode, OnSiloNode);
        var unavailable = figures.Other["XMPP unavailable"];
        Log($"[{figures.Scenario}] SIGKILL {victim.Name} (session on {siloNode.NodeName}, watcher on the other node): `unavailable` after {unavailable:0.000} s " +
            $"(kill call {figures.Other["kill call"]:0.000} s), declared dead after {figures.DeclaredDeadSeconds[^1]:0.00} s");
        unavailable.Should().BeLessThan(1.0, $"issue 14: the watcher on the other node sees a SIGKILLed silo ({victim.Name}) unavailable within 1 s");
    }

    /// <summary>When <paramref name="silo"/> logs the loss of its XMPP session, counting only lines written from now on.</summary>
    private static async Task<TimeSpan> SessionLostAsync(SiloProcess silo, Stopwatch clock, CancellationToken ct)
    {
        // WaitForOutputAsync also scans the lines already written (an earlier move); it does so before it returns.
        var armed = false;
        var line = silo.Process.WaitForOutputAsync(l => armed && l.Contains("XMPP connection lost", StringComparison.Ordinal), RecoveryTimeout, ct);
        armed = true;
        await line;
        return clock.Elapsed;
    }

    /// <summary>
    /// Where each session of the cluster lives, full JID → node, from <c>connected_users_info</c> (mod_admin_extra): one
    /// line per session, tab-separated, the JID first and the node's name among the fields.
    /// </summary>
    private static async Task<Dictionary<string, EjabberdServer>> SessionNodesAsync(EjabberdCluster ejabberd, CancellationToken ct)
    {
        var output = await ejabberd.RunCtlAsync(["connected_users_info"], ct);
        var sessions = new Dictionary<string, EjabberdServer>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('\t', StringSplitOptions.TrimEntries);
            if (ejabberd.Nodes.FirstOrDefault(n => fields.Contains(n.NodeName, StringComparer.Ordinal)) is { } node)
            {
                sessions[fields[0]] = node;
            }
        }

        sessions.Should().NotBeEmpty($"connected_users_info lists the sessions with their node:\n{output}");
        return sessions;
    }

    /// <summary>Waits until the latest presence <paramref name="watcher"/> has from every live silo is <c>available</c>.</summary>
    private static async Task WaitUntilLatestAvailableAsync(FaultCluster cluster, XmppWatcher watcher, IXmppTestServer server, CancellationToken ct)
    {
        var wait = Stopwatch.StartNew();
        while (true)
        {
            var latest = cluster.LiveSilos.Select(s => (s.Name, Presence: watcher.Latest(SiloJid(server, s)))).ToList();
            if (latest.All(l => l.Presence is { IsAvailable: true }))
            {
                return;
            }
            if (wait.Elapsed > RecoveryTimeout)
            {
                throw new TimeoutException($"Not every live silo is available to {watcher.Jid} within {RecoveryTimeout.TotalSeconds:0} s: " +
                    string.Join(", ", latest.Select(l => $"{l.Name} {l.Presence?.ToString() ?? "none"}")));
            }
            await Task.Delay(50, ct);
        }
    }
}
