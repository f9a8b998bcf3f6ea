using System.Diagnostics;
using Actors.FaultInjection.Tests.Harness;
using Actors.TestInfrastructure.Load;
using Actors.TestInfrastructure.Redis;

namespace Actors.FaultInjection.Tests;

/// <summary>
/// Issue 11's chaos scenarios: the same system and load as scenarios 1–7, on a Redis Cluster of 3 primaries × 1 replica
/// (the silos' default storage acknowledges a write only once a replica holds it), while one Redis node fails. A killed
/// node is started again on its port and directory after <see cref="SupervisorRestartDelay"/>, as the <c>./actors up</c>
/// supervisor does: a promoted replica takes no writes until a replica rejoins it.
/// </summary>
public sealed partial class FaultScenarioTests
{
    /// <summary>The <c>./actors up</c> supervisor's first restart delay.</summary>
    private static readonly TimeSpan SupervisorRestartDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long scenario 9 keeps the replica down.</summary>
    private static readonly TimeSpan ReplicaDownFor = TimeSpan.FromSeconds(2);

    /// <summary>Scenario 10 keeps the primary frozen at least this long (3 × <c>cluster-node-timeout</c>), and until its replica took over.</summary>
    private static readonly TimeSpan MinFrozenFor = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Scenarios 13/13r measure acknowledged writes per second over this long before and after the shard change.</summary>
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(5);

    /// <summary>Scenarios 13/13r let the load run this long before measuring the throughput before the change.</summary>
    private static readonly TimeSpan ThroughputSettle = TimeSpan.FromSeconds(10);

    /// <summary>How long scenario 14 keeps a primary and its replica both down.</summary>
    private static readonly TimeSpan PairDownFor = TimeSpan.FromSeconds(5);

    /// <summary>Roots of scenario 14's probe (those on the killed shard are left out).</summary>
    private const int ProbeRoots = 9;

    /// <summary>Scenario 11 looks at membership this long after the kill: several rounds of missed probes, were any silo suspected.</summary>
    private static readonly TimeSpan MembershipWatch = TimeSpan.FromSeconds(10);

    private static async Task RedisClusterFaultAsync(string scenario, RedisClusterServer redis, FaultCluster cluster, HttpLoadGenerator load, XmppLoadGenerator xmpp,
        Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var placement = await RedisPlacement.LocateAsync(redis, cluster.Cluster, [load, xmpp], ct);
        await placement.VerifyAsync(ct);
        switch (scenario)
        {
            case FaultScenarios.KillRedisPrimary:
                await KillRedisPrimaryAsync(redis, placement, load, xmpp, clock, figures, quickRestart: false, ct);
                break;
            case FaultScenarios.KillRedisPrimaryQuickRestart:
                await KillRedisPrimaryAsync(redis, placement, load, xmpp, clock, figures, quickRestart: true, ct);
                break;
            case FaultScenarios.KillRedisReplica:
                await KillRedisReplicaAsync(redis, placement, load, xmpp, clock, figures, ct);
                break;
            case FaultScenarios.PauseRedisPrimary:
                await PauseRedisPrimaryAsync(redis, placement, load, xmpp, clock, figures, ct);
                break;
            case FaultScenarios.KillRedisMembershipPrimary:
                await KillRedisMembershipPrimaryAsync(redis, placement, cluster, load, xmpp, clock, figures, ct);
                break;
            case FaultScenarios.RollingRestartRedisCluster:
                await RollingRestartRedisAsync(redis, load, xmpp, clock, figures, ct);
                break;
            case FaultScenarios.AddRedisShard:
                await ChangeRedisShardsAsync(redis, placement, load, xmpp, clock, figures, add: true, ct);
                break;
            case FaultScenarios.RemoveRedisShard:
                await ChangeRedisShardsAsync(redis, placement, load, xmpp, clock, figures, add: false, ct);
                break;
            case FaultScenarios.KillRedisPrimaryAndReplica:
                await KillRedisPrimaryAndReplicaAsync(redis, placement, cluster, load, xmpp, clock, figures, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Not a Redis Cluster scenario.");
        }
    }

    /// <summary>
    /// 8: SIGKILLs the primary serving the most roots and starts it again <see cref="SupervisorRestartDelay"/> after its
    /// replica took over (<paramref name="quickRestart"/>: after the kill, as the <c>./actors up</c> supervisor does, which
    /// may be before any failover); measures the failover, until every root (both generators) takes writes again, and
    /// until the cluster is healthy.
    /// </summary>
    private static async Task KillRedisPrimaryAsync(RedisClusterServer redis, RedisPlacement placement, HttpLoadGenerator load, XmppLoadGenerator xmpp,
        Stopwatch clock, ScenarioFigures figures, bool quickRestart, CancellationToken ct)
    {
        var (victim, roots) = await placement.BusiestPrimaryAsync(ct);
        var slot = roots[0].Slot;
        victim.Kill();
        var killedAt = clock.Elapsed;
        using var failoverWatch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failover = placement.WaitForFailoverAsync(victim, slot, clock, FailoverTimeout, failoverWatch.Token);
        if (!quickRestart && await failover is null)
        {
            throw new TimeoutException($"The replica of killed primary {victim} did not take over within {FailoverTimeout.TotalSeconds:0} s.");
        }
        await Task.Delay(SupervisorRestartDelay, ct);
        await victim.StartAsync(ct);
        figures.Other["node restarted"] = (clock.Elapsed - killedAt).TotalSeconds;
        await RecordRecoveryAsync(redis, roots, load, xmpp, killedAt, clock, figures, ct);
        await failoverWatch.CancelAsync();
        var failedOverAt = await failover;
        var role = await victim.GetRoleAsync(ct);
        figures.Counts["failed over"] = failedOverAt is null ? 0 : 1;
        if (failedOverAt is { } at)
        {
            figures.Other["failover"] = (at - killedAt).TotalSeconds;
        }
        Log($"[{figures.Scenario}] SIGKILL primary {victim} ({roots.Count} of {load.RootIds.Count + xmpp.RootIds.Count} roots), restarted {figures.Other["node restarted"]:0.0} s after: " +
            (failedOverAt is { } f ? $"its replica took over {(f - killedAt).TotalSeconds:0.0} s after the kill, it rejoined as {role}" : $"no failover, it is {role} again") +
            $"; every root written again {figures.WritesRecoveredSeconds[^1]:0.0} s after the kill, cluster healthy {figures.Other["Redis healthy"]:0.0} s");
        if (failedOverAt is not null)
        {
            role.Should().Be(RedisClusterRole.Replica, "a replaced primary rejoins as a replica of its successor");
        }
    }

    /// <summary>
    /// 9: SIGKILLs the replica of the primary serving the most roots for <see cref="ReplicaDownFor"/>, then starts it
    /// again. Only that primary's writes may fail meanwhile (nothing can be acknowledged on a replica).
    /// </summary>
    private static async Task KillRedisReplicaAsync(RedisClusterServer redis, RedisPlacement placement, HttpLoadGenerator load, XmppLoadGenerator xmpp,
        Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var (primary, roots) = await placement.BusiestPrimaryAsync(ct);
        var victim = (await redis.GetReplicasAsync(primary, ct)).Single();
        victim.Kill();
        var killedAt = clock.Elapsed;
        await Task.Delay(ReplicaDownFor, ct);
        await victim.StartAsync(ct);
        figures.Other["node restarted"] = (clock.Elapsed - killedAt).TotalSeconds;
        await RecordRecoveryAsync(redis, roots, load, xmpp, killedAt, clock, figures, ct);
        var victimHttpRoots = roots.Where(r => r.Load == load).Select(r => r.Index).ToHashSet();
        var elsewhere = load.Failures.Count(f => f.At >= killedAt && !victimHttpRoots.Contains(f.RootIndex));
        figures.Counts["failed requests to other shards"] = elsewhere;
        (await primary.GetRoleAsync(ct)).Should().Be(RedisClusterRole.Primary, "a replica's death changes no roles");
        Log($"[{figures.Scenario}] SIGKILL replica {victim} of {primary} ({roots.Count} of {placement.Roots.Count} roots), restarted {figures.Other["node restarted"]:0.0} s after: " +
            $"its primary's roots written again {figures.Other["shard roots recovered"]:0.0} s after the kill, cluster healthy {figures.Other["Redis healthy"]:0.0} s; " +
            $"{elsewhere} failed HTTP requests to roots of other shards");
        elsewhere.Should().Be(0, "only the shard that lost its replica cannot acknowledge writes");
    }

    /// <summary>
    /// 10: SIGSTOPs the primary serving the most roots until its replica took over (at least <see cref="MinFrozenFor"/>),
    /// then SIGCONTs it; it must rejoin as a replica. Whatever it still executed from the writes queued on its sockets
    /// cannot have been acknowledged: its WAIT cannot succeed while it is isolated.
    /// </summary>
    private static async Task PauseRedisPrimaryAsync(RedisClusterServer redis, RedisPlacement placement, HttpLoadGenerator load, XmppLoadGenerator xmpp,
        Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var (victim, roots) = await placement.BusiestPrimaryAsync(ct);
        victim.Pause();
        var pausedAt = clock.Elapsed;
        var failedOverAt = await placement.WaitForFailoverAsync(victim, roots[0].Slot, clock, FailoverTimeout, ct)
            ?? throw new TimeoutException($"The replica of frozen primary {victim} did not take over within {FailoverTimeout.TotalSeconds:0} s.");
        figures.Other["failover"] = (failedOverAt - pausedAt).TotalSeconds;
        var resumeAt = pausedAt + Max(MinFrozenFor, failedOverAt - pausedAt + TimeSpan.FromMilliseconds(500));
        if (resumeAt > clock.Elapsed)
        {
            await Task.Delay(resumeAt - clock.Elapsed, ct);
        }
        victim.Resume();
        figures.Other["frozen"] = (clock.Elapsed - pausedAt).TotalSeconds;
        await RecordRecoveryAsync(redis, roots, load, xmpp, pausedAt, clock, figures, ct);
        var role = await victim.GetRoleAsync(ct);
        Log($"[{figures.Scenario}] SIGSTOP primary {victim} ({roots.Count} of {placement.Roots.Count} roots) for {figures.Other["frozen"]:0.0} s: its replica took over " +
            $"{figures.Other["failover"]:0.0} s after; after SIGCONT it is {role}; every root written again {figures.WritesRecoveredSeconds[^1]:0.0} s after the SIGSTOP, " +
            $"cluster healthy {figures.Other["Redis healthy"]:0.0} s");
        role.Should().Be(RedisClusterRole.Replica, "a primary replaced while frozen rejoins as a replica of its successor");
    }

    /// <summary>
    /// 11: SIGKILLs the primary serving the membership table, starts it again <see cref="SupervisorRestartDelay"/> after its
    /// replica took over (so the silos' and clients' connections must follow a real topology change);
    /// <see cref="MembershipWatch"/> after the kill every silo process still runs and membership lists exactly the silos
    /// it listed before, all Active: no silo declared dead, no row lost.
    /// </summary>
    private static async Task KillRedisMembershipPrimaryAsync(RedisClusterServer redis, RedisPlacement placement, FaultCluster cluster, HttpLoadGenerator load,
        XmppLoadGenerator xmpp, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var before = await cluster.Monitor.TryGetHostsAsync(TimeSpan.FromSeconds(10), ct) ?? throw new TimeoutException("Membership did not answer before the fault.");
        var victim = await placement.MembershipPrimaryAsync(ct);
        var roots = (await placement.RootsByPrimaryAsync(ct))[victim.Port];
        victim.Kill();
        var killedAt = clock.Elapsed;
        var failedOverAt = await placement.WaitForFailoverAsync(victim, placement.MembershipSlot, clock, FailoverTimeout, ct)
            ?? throw new TimeoutException($"The replica of killed primary {victim} did not take over within {FailoverTimeout.TotalSeconds:0} s.");
        figures.Other["failover"] = (failedOverAt - killedAt).TotalSeconds;
        await Task.Delay(SupervisorRestartDelay, ct);
        await victim.StartAsync(ct);
        figures.Other["node restarted"] = (clock.Elapsed - killedAt).TotalSeconds;
        await RecordRecoveryAsync(redis, roots, load, xmpp, killedAt, clock, figures, ct);
        var watchUntil = killedAt + MembershipWatch;
        if (watchUntil > clock.Elapsed)
        {
            await Task.Delay(watchUntil - clock.Elapsed, ct);
        }
        var after = await cluster.Monitor.TryGetHostsAsync(TimeSpan.FromSeconds(10), ct) ?? throw new TimeoutException("Membership did not answer after the fault.");
        figures.Counts["silos Active"] = after.Count(h => h.Value == SiloStatus.Active);
        Log($"[{figures.Scenario}] SIGKILL membership primary {victim} (also {roots.Count} of {placement.Roots.Count} roots), restarted {figures.Other["node restarted"]:0.0} s after: " +
            $"failover {figures.Other["failover"]:0.0} s; every root written again {figures.WritesRecoveredSeconds[^1]:0.0} s, " +
            $"cluster healthy {figures.Other["Redis healthy"]:0.0} s; {(clock.Elapsed - killedAt).TotalSeconds:0} s after the kill membership is " +
            string.Join(", ", after.Select(h => $"{h.Key}={h.Value}")));
        cluster.Silos.Should().AllSatisfy(s => s.Process.HasExited.Should().BeFalse($"no silo dies when a Redis primary does\n{s.RecentOutputWithHeader()}"));
        after.Keys.Should().BeEquivalentTo(before.Keys, "no membership row is lost or added");
        after.Values.Should().AllSatisfy(status => status.Should().Be(SiloStatus.Active, "no silo is declared dead"));
    }

    /// <summary>
    /// 12 (issue 11's chaos 5): restarts every Redis node in turn (SIGTERM, then started again on its port and directory),
    /// each one only once the cluster is healthy again after the one before: rejoined, every replica in sync. Replicas
    /// of a shard go before its primary; a stopped primary may be failed over before it is back (then it rejoins as a
    /// replica) or not, either is fine.
    /// </summary>
    private static async Task RollingRestartRedisAsync(RedisClusterServer redis, HttpLoadGenerator load, XmppLoadGenerator xmpp,
        Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var startedAt = clock.Elapsed;
        var topology = await redis.GetTopologyAsync(ct);
        var order = topology.Primaries
            .SelectMany(p => topology.ReplicasOf(p.Id).Select(r => r.Port).Append(p.Port))
            .Select(redis.NodeAt)
            .ToList();
        var primariesBefore = topology.Primaries.Select(p => p.Port).ToHashSet();
        var longest = TimeSpan.Zero;
        foreach (var node in order)
        {
            var at = clock.Elapsed;
            await node.StopAsync(ct);
            await node.StartAsync(ct);
            await redis.WaitForHealthyAsync(RecoveryTimeout, ct);
            longest = Max(longest, clock.Elapsed - at);
        }
        figures.Counts["nodes restarted"] = order.Count;
        // A primary back before its replica took over stays primary; one that was replaced comes back as a replica.
        var primariesAfter = (await redis.GetPrimariesAsync(ct)).Select(n => n.Port).ToHashSet();
        figures.Counts["primaries replaced"] = primariesBefore.Count(p => !primariesAfter.Contains(p));
        figures.Other["rolling restart"] = (clock.Elapsed - startedAt).TotalSeconds;
        figures.Other["longest node restart until healthy"] = longest.TotalSeconds;
        var doneAt = clock.Elapsed;
        figures.WritesRecoveredSeconds.Add((await load.WaitUntilRootsWriteAgainAsync(doneAt, RecoveryTimeout, ct)).TotalSeconds);
        figures.Other["XMPP writes recovered"] = (await xmpp.WaitUntilRootsWriteAgainAsync(doneAt, RecoveryTimeout, ct)).TotalSeconds;
        Log($"[{figures.Scenario}] restarted {order.Count} Redis nodes one after the other ({string.Join(", ", order.Select(n => n.Port))}) in " +
            $"{figures.Other["rolling restart"]:0.0} s, the longest until healthy {longest.TotalSeconds:0.0} s, {figures.Counts["primaries replaced"]} primaries replaced by their replica; every root written after the last one " +
            $"{figures.WritesRecoveredSeconds[^1]:0.0} s (HTTP), {figures.Other["XMPP writes recovered"]:0.0} s (XMPP)");
    }

    /// <summary>
    /// 13 / 13r (issue 11's chaos 6): adds a shard (<paramref name="add"/>) or removes the one added last, moving slots
    /// under load with <c>redis-cli --cluster rebalance</c>. Acknowledged writes per second (HTTP and XMPP together) are
    /// measured for <see cref="ThroughputWindow"/> before and after, and reported, not asserted: on this shared 2-core
    /// machine every shard runs on the same cores, so more primaries cannot add capacity here (docs/performance.md).
    /// Afterwards every root must take writes again, the moved ones at their new primary.
    /// </summary>
    private static async Task ChangeRedisShardsAsync(RedisClusterServer redis, RedisPlacement placement, HttpLoadGenerator load, XmppLoadGenerator xmpp,
        Stopwatch clock, ScenarioFigures figures, bool add, CancellationToken ct)
    {
        // The silos' JIT is still tiering up for the first seconds of load; measured before that, "after" would win anyway.
        await Task.Delay(ThroughputSettle, ct);
        var before = clock.Elapsed;
        await Task.Delay(ThroughputWindow, ct);
        var throughputBefore = AcknowledgedPerSecond([load, xmpp], before, clock.Elapsed);
        var ownersBefore = (await placement.RootsByPrimaryAsync(ct)).SelectMany(p => p.Value.Select(r => (r, p.Key))).ToDictionary(x => x.r, x => x.Key);
        var changeAt = clock.Elapsed;
        var change = add ? await redis.AddShardAsync(ct) : await redis.RemoveShardAsync(ct);
        var doneAt = clock.Elapsed;
        var ownersAfter = (await placement.RootsByPrimaryAsync(ct)).SelectMany(p => p.Value.Select(r => (r, p.Key))).ToDictionary(x => x.r, x => x.Key);
        var moved = placement.Roots.Where(r => ownersBefore[r] != ownersAfter[r]).ToList();
        figures.Counts["slots moved"] = change.SlotsMoved;
        figures.Counts["roots moved"] = moved.Count;
        figures.Other["shard change"] = (doneAt - changeAt).TotalSeconds;
        figures.Other["slot move"] = change.SlotMove.TotalSeconds;
        // Every root writes again after the move; the moved ones only through their new primary.
        figures.WritesRecoveredSeconds.Add((await load.WaitUntilRootsWriteAgainAsync(doneAt, RecoveryTimeout, ct)).TotalSeconds);
        figures.Other["XMPP writes recovered"] = (await xmpp.WaitUntilRootsWriteAgainAsync(doneAt, RecoveryTimeout, ct)).TotalSeconds;
        var after = clock.Elapsed;
        await Task.Delay(ThroughputWindow, ct);
        var throughputAfter = AcknowledgedPerSecond([load, xmpp], after, clock.Elapsed);
        figures.Counts["writes/s before"] = (int)throughputBefore;
        figures.Counts["writes/s after"] = (int)throughputAfter;
        var failuresDuringMove = load.Failures.Count(f => f.At >= changeAt && f.At <= doneAt) + xmpp.Failures.Count(f => f.At >= changeAt && f.At <= doneAt);
        var failuresAfterMove = load.Failures.Count(f => f.At > doneAt) + xmpp.Failures.Count(f => f.At > doneAt);
        figures.Counts["failed attempts during the move"] = failuresDuringMove;
        figures.Counts["failed attempts after the move"] = failuresAfterMove;
        Log($"[{figures.Scenario}] {(add ? "added" : "removed")} shard {change.Primary} + {change.Replica}: membership {change.Membership.TotalSeconds:0.0} s, " +
            $"{change.SlotsMoved} slots moved in {change.SlotMove.TotalSeconds:0.0} s ({moved.Count} of {placement.Roots.Count} roots moved); " +
            $"{failuresDuringMove} failed attempts during the change ({string.Join(", ", load.Failures.Concat(xmpp.Failures).Where(f => f.At >= changeAt && f.At <= doneAt).GroupBy(f => f.What).Select(g => $"{g.Key} ×{g.Count()}"))}), " +
            $"{failuresAfterMove} after; acknowledged writes/s {throughputBefore:0} before, {throughputAfter:0} after");
        failuresAfterMove.Should().Be(0, "once every node agrees on the new slot owners, writes go straight to them");
        if (add)
        {
            (await redis.GetPrimariesAsync(ct)).Should().Contain(change.Primary);
        }
        else
        {
            (await redis.GetPrimariesAsync(ct)).Should().NotContain(change.Primary);
        }
    }

    /// <summary>
    /// 14 (issue 11's chaos 7): SIGKILLs the primary serving the most roots (not the membership table's) and its only
    /// replica together, keeps both down for <see cref="PairDownFor"/>, then starts both again from their directories
    /// (nodes.conf and AOF). Meanwhile a probe writes only to roots on the other shards, which must keep taking writes.
    /// What the pair loses is reported, not asserted (DESIGN §6's documented limit): with <c>appendfsync everysec</c>
    /// a process kill loses nothing Redis already wrote to the kernel; a power loss would lose up to a second.
    /// </summary>
    private static async Task KillRedisPrimaryAndReplicaAsync(RedisClusterServer redis, RedisPlacement placement, FaultCluster cluster,
        HttpLoadGenerator load, XmppLoadGenerator xmpp, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var (primary, roots) = await placement.BusiestPrimaryAsync(ct);
        var replica = (await redis.GetReplicasAsync(primary, ct)).Single();
        // A probe of its own roots, written only where the pair's slots are not.
        await using var probe = await ProbeAwayFromAsync(redis, cluster, primary, clock, ct);
        await probe.CreateRootsAsync(ct);
        probe.Start();
        await probe.WaitForAcknowledgementsAsync(10, clock.Elapsed, WarmUpTimeout, ct);

        primary.Kill();
        replica.Kill();
        var killedAt = clock.Elapsed;
        await Task.Delay(PairDownFor, ct);
        var restartAt = clock.Elapsed;
        var probeAcks = probe.Writes.Count(w => w.AcknowledgedAt is { } at && at >= killedAt && at < restartAt);
        var probeFailures = probe.Failures.Count(f => f.At >= killedAt && f.At < restartAt);
        var probeRootsWritten = probe.Writes.Where(w => w.AcknowledgedAttemptSentAt is { } at && at >= killedAt && w.AcknowledgedAt < restartAt)
            .Select(w => w.RootIndex).Distinct().Count();
        await Task.WhenAll(primary.StartAsync(ct), replica.StartAsync(ct));
        figures.Other["pair down"] = (clock.Elapsed - killedAt).TotalSeconds;
        await RecordRecoveryAsync(redis, roots, load, xmpp, killedAt, clock, figures, ct);
        await probe.StopAsync();
        var probeItems = await load.ReadAllAsync(probe.RootIds, ReadTimeout, ct);
        var probeCheck = Verification.Check(probe, probeItems);
        var primaryRole = await primary.GetRoleAsync(ct);
        figures.Counts["probe writes during the outage"] = probeAcks;
        figures.Counts["probe failures during the outage"] = probeFailures;
        Log($"[{figures.Scenario}] SIGKILL primary {primary} and its replica {replica} ({roots.Count} of {placement.Roots.Count} roots), both down " +
            $"{figures.Other["pair down"]:0.0} s: the other shards took {probeAcks} probe writes to {probeRootsWritten} of {probe.Targets!.Count} roots " +
            $"({probeFailures} failed attempts); after the restart {primary} is {primaryRole}; the pair's roots written again " +
            $"{figures.Other["shard roots recovered"]:0.0} s after the kill, cluster healthy {figures.Other["Redis healthy"]:0.0} s; probe: lost {probeCheck.Lost.Count}, " +
            $"applied twice {probeCheck.AppliedTwice.Count}");
        probeRootsWritten.Should().Be(probe.Targets!.Count, "roots on the other shards keep taking writes while one shard is entirely down");
        probeCheck.Lost.Should().BeEmpty("the other shards lost nothing");
        probeCheck.AppliedTwice.Should().BeEmpty();
        probeCheck.NotAcknowledged.Should().Be(0);
    }

    /// <summary>A probe generator whose writers use only roots whose slots <paramref name="avoid"/> does not serve.</summary>
    private static async Task<HttpLoadGenerator> ProbeAwayFromAsync(RedisClusterServer redis, FaultCluster cluster, RedisClusterNode avoid,
        Stopwatch clock, CancellationToken ct)
    {
        var probe = new HttpLoadGenerator(() => cluster.Gateway.BaseAddress, "fprobe", ProbeRoots, 2, clock);
        var targets = new List<int>();
        for (var i = 0; i < probe.RootIds.Count; i++)
        {
            if (await redis.PrimaryForKeyAsync(RedisPlacement.StateKey(cluster.Cluster.ServiceId, probe.RootIds[i]), ct) != avoid)
            {
                targets.Add(i);
            }
        }
        probe.Targets = targets;
        return probe;
    }

    private static double AcknowledgedPerSecond(IEnumerable<WriteLoad> loads, TimeSpan from, TimeSpan to) =>
        loads.Sum(l => l.Writes.Count(w => w.AcknowledgedAt is { } at && at >= from && at < to)) / (to - from).TotalSeconds;

    /// <summary>
    /// Waits until the roots of the failed shard (<paramref name="shardRoots"/>), then every root of both generators,
    /// acknowledged a write sent after <paramref name="faultAt"/>, then until the Redis cluster is healthy; records each.
    /// </summary>
    private static async Task RecordRecoveryAsync(RedisClusterServer redis, IReadOnlyList<RedisPlacement.Root> shardRoots,
        HttpLoadGenerator load, XmppLoadGenerator xmpp, TimeSpan faultAt, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        figures.Counts["shard roots"] = shardRoots.Count;
        var shardHttp = load.WaitUntilRootsWriteAgainAsync([.. shardRoots.Where(r => r.Load == load).Select(r => r.Index)], faultAt, RecoveryTimeout, ct);
        var shardXmpp = xmpp.WaitUntilRootsWriteAgainAsync([.. shardRoots.Where(r => r.Load == xmpp).Select(r => r.Index)], faultAt, RecoveryTimeout, ct);
        var allHttp = load.WaitUntilRootsWriteAgainAsync(faultAt, RecoveryTimeout, ct);
        var allXmpp = xmpp.WaitUntilRootsWriteAgainAsync(faultAt, RecoveryTimeout, ct);
        var healthy = Task.Run(async () =>
        {
            await redis.WaitForHealthyAsync(RecoveryTimeout, ct);
            return clock.Elapsed - faultAt;
        }, ct);
        figures.Other["shard roots recovered"] = Max(await shardHttp, await shardXmpp).TotalSeconds;
        figures.WritesRecoveredSeconds.Add((await allHttp).TotalSeconds);
        figures.Other["XMPP writes recovered"] = (await allXmpp).TotalSeconds;
        figures.Other["Redis healthy"] = (await healthy).TotalSeconds;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
