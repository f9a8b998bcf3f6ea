using System.Diagnostics;
using Actors.FaultInjection.Tests.Harness;
using Actors.TestInfrastructure.Silos;

namespace Actors.FaultInjection.Tests;

/// <summary>
/// Issue 5: real Redis, three real silo processes and a real gateway process on loopback, written to through the gateway
/// by <see cref="HttpLoadGenerator"/> while one component fails. Every scenario ends with every acknowledged write in
/// its root exactly once, nothing applied twice, nothing that was never sent, and every live silo Active.
/// </summary>
public sealed class FaultScenarioTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private const int Silos = 3;
    private const int Roots = 9;
    private const int Writers = 8;
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeathTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RedisDownFor = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Scenarios => FaultScenarios.Selected();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_UnderLoad_NoAcknowledgedWriteLostOrAppliedTwice(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.EnsureRunningAsync(ct);
        var clock = Stopwatch.StartNew();
        await using var cluster = await FaultCluster.StartAsync(fixture.Redis, scenario[..scenario.IndexOf('-', StringComparison.Ordinal)], Silos, ct);
        Log($"[{scenario}] cluster of {Silos} silos and a gateway ready after {clock.Elapsed.TotalSeconds:0.0} s");
        await using var load = new HttpLoadGenerator(() => cluster.Gateway.BaseAddress, $"f{scenario[..scenario.IndexOf('-', StringComparison.Ordinal)]}", Roots, Writers, clock);
        await load.CreateRootsAsync(ct);
        load.Start();
        await load.WaitForAcknowledgementsAsync(50, TimeSpan.Zero, WarmUpTimeout, ct);

        var figures = new ScenarioFigures { Scenario = scenario };
        var faultAt = clock.Elapsed;
        var acksBefore = load.AcknowledgedCount;
        switch (scenario)
        {
            case FaultScenarios.KillSilo:
                await KillSiloAsync(cluster, load, clock, figures, ct);
                break;
            case FaultScenarios.KillTwoSilos:
                await KillSiloAsync(cluster, load, clock, figures, ct);
                await KillSiloAsync(cluster, load, clock, figures, ct);
                break;
            case FaultScenarios.AddSilo:
                await AddSiloAsync(cluster, load, clock, figures, ct);
                break;
            case FaultScenarios.RestartRedis:
                await RestartRedisAsync(cluster, load, clock, figures, kill: false, ct);
                break;
            case FaultScenarios.KillRedis:
                await RestartRedisAsync(cluster, load, clock, figures, kill: true, ct);
                break;
            case FaultScenarios.KillGateway:
                await KillGatewayAsync(cluster, load, clock, figures, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario.");
        }

        // Steady again: a few more acknowledgements after recovery, then stop and let every write in flight finish.
        await load.WaitForAcknowledgementsAsync(30, clock.Elapsed, RecoveryTimeout, ct);
        var recoveredAt = clock.Elapsed;
        await load.StopAsync();
        var loadSeconds = clock.Elapsed - faultAt;
        await cluster.WaitUntilLiveSilosActiveAsync(RecoveryTimeout, ct);
        await cluster.WaitUntilGatewayReadyAsync(RecoveryTimeout, ct);
        var items = await load.ReadAllAsync(ReadTimeout, ct);

        figures.Verification = Verification.Check(load, items);
        figures.FailedRequests = load.Failures.Count(f => f.At >= faultAt);
        figures.LongestAckPauseSeconds = LongestAckPause(load, faultAt, recoveredAt).TotalSeconds;
        figures.WritesPerSecond = (int)((load.AcknowledgedCount - acksBefore) / loadSeconds.TotalSeconds);
        figures.TotalSeconds = clock.Elapsed.TotalSeconds;
        Report(figures);

        var v = figures.Verification;
        v.Rejected.Should().BeEmpty("every write of the load is valid, so only 2xx or a retryable failure may come back");
        v.AppliedTwice.Should().BeEmpty("a write retried with the same Idempotency-Key is applied at most once");
        v.NeverSent.Should().BeEmpty("the store holds only what was written");
        v.InWrongRoot.Should().BeEmpty();
        if (scenario == FaultScenarios.KillRedis)
        {
            // appendfsync everysec: a SIGKILL of Redis loses nothing the kernel already has (Redis write()s the AOF
            // before it answers), unless a slow disk made Redis postpone that write by up to 2 s: then the last
            // acknowledged writes are lost. Reported, not asserted (docs/reliability.md).
            Log($"[{scenario}] acknowledged writes lost by the Redis SIGKILL: {v.Lost.Count}");
        }
        else
        {
            v.Lost.Should().BeEmpty("an acknowledged write is durable in Redis");
        }
        v.Acknowledged.Should().BeGreaterThan(100);
        v.NotAcknowledged.Should().Be(0, "every write is retried until acknowledged within its deadline");
    }

    /// <summary>SIGKILLs the live silo hosting most roots; measures until it is declared dead and its roots write again.</summary>
    private static async Task KillSiloAsync(FaultCluster cluster, HttpLoadGenerator load, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var locations = await cluster.LocateRootsAsync(load, ct);
        var victim = cluster.LiveSilos
            .OrderByDescending(silo => locations.Count(l => l.Value == silo.Name))
            .First();
        var victimRoots = locations.Where(l => l.Value == victim.Name).Select(l => l.Key).ToList();
        var address = await cluster.AddressOfAsync(victim, ct);

        var killing = clock.Elapsed;
        victim.Kill();
        // Measured from when the process is gone: requests sent while Kill() ran may still have been served by it.
        var killedAt = clock.Elapsed;
        figures.Other["kill call"] = (killedAt - killing).TotalSeconds;
        var dead = Task.Run(async () =>
        {
            await cluster.WaitUntilDeadAsync(address, DeathTimeout, ct);
            return clock.Elapsed - killedAt;
        }, ct);
        var recovered = load.WaitUntilRootsWriteAgainAsync(victimRoots, killedAt, RecoveryTimeout, ct);
        figures.DeclaredDeadSeconds.Add((await dead).TotalSeconds);
        figures.WritesRecoveredSeconds.Add((await recovered).TotalSeconds);
        Log($"[{figures.Scenario}] SIGKILL {victim.Name} ({victimRoots.Count} of {load.RootIds.Count} roots): declared dead after " +
            $"{figures.DeclaredDeadSeconds[^1]:0.0} s, its roots written again after {figures.WritesRecoveredSeconds[^1]:0.0} s");
    }

    /// <summary>Starts a fourth silo under load; measures until it is Active and whether writes were disturbed.</summary>
    private static async Task AddSiloAsync(FaultCluster cluster, HttpLoadGenerator load, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        var startedAt = clock.Elapsed;
        var silo = await cluster.StartSiloAsync($"silo-{cluster.Silos.Count + 1}", ct);
        figures.Other["process ready"] = (clock.Elapsed - startedAt).TotalSeconds;
        await cluster.WaitUntilLiveSilosActiveAsync(RecoveryTimeout, ct);
        figures.Other["Active"] = (clock.Elapsed - startedAt).TotalSeconds;
        var all = Enumerable.Range(0, load.RootIds.Count).ToList();
        figures.WritesRecoveredSeconds.Add((await load.WaitUntilRootsWriteAgainAsync(all, startedAt, RecoveryTimeout, ct)).TotalSeconds);
        Log($"[{figures.Scenario}] {silo.Name} Active {figures.Other["Active"]:0.0} s after launch");
    }

    /// <summary>Stops Redis (SIGTERM, or SIGKILL), keeps it down for <see cref="RedisDownFor"/>, starts it on the same port and directory.</summary>
    private static async Task RestartRedisAsync(FaultCluster cluster, HttpLoadGenerator load, Stopwatch clock, ScenarioFigures figures, bool kill, CancellationToken ct)
    {
        var stopping = clock.Elapsed;
        if (kill)
        {
            cluster.Redis.Kill();
        }
        else
        {
            await cluster.Redis.StopAsync(ct);
        }
        // From when the process is gone, as for silos: writes sent while it shut down may still have been served.
        var stoppedAt = clock.Elapsed;
        figures.Other[kill ? "kill" : "graceful stop"] = (stoppedAt - stopping).TotalSeconds;
        await Task.Delay(RedisDownFor, ct);
        await cluster.Redis.StartAsync(ct);
        figures.Other["Redis down"] = (clock.Elapsed - stoppedAt).TotalSeconds;
        var all = Enumerable.Range(0, load.RootIds.Count).ToList();
        figures.WritesRecoveredSeconds.Add((await load.WaitUntilRootsWriteAgainAsync(all, stoppedAt, RecoveryTimeout, ct)).TotalSeconds);
        Log($"[{figures.Scenario}] Redis down {figures.Other["Redis down"]:0.0} s; every root written again {figures.WritesRecoveredSeconds[^1]:0.0} s after the stop");
    }

    /// <summary>SIGKILLs the gateway and starts a new one on the same port.</summary>
    private static async Task KillGatewayAsync(FaultCluster cluster, HttpLoadGenerator load, Stopwatch clock, ScenarioFigures figures, CancellationToken ct)
    {
        cluster.KillGateway();
        // From when the process is gone, as for silos.
        var killedAt = clock.Elapsed;
        await cluster.RestartGatewayAsync(ct);
        figures.Other["listening again"] = (clock.Elapsed - killedAt).TotalSeconds;
        await cluster.WaitUntilGatewayReadyAsync(RecoveryTimeout, ct);
        figures.Other["ready again"] = (clock.Elapsed - killedAt).TotalSeconds;
        var all = Enumerable.Range(0, load.RootIds.Count).ToList();
        figures.WritesRecoveredSeconds.Add((await load.WaitUntilRootsWriteAgainAsync(all, killedAt, RecoveryTimeout, ct)).TotalSeconds);
        Log($"[{figures.Scenario}] new gateway listening {figures.Other["listening again"]:0.0} s, ready {figures.Other["ready again"]:0.0} s after the kill");
    }

    private static TimeSpan LongestAckPause(HttpLoadGenerator load, TimeSpan from, TimeSpan to)
    {
        var acks = load.Writes.Where(w => w.AcknowledgedAt is { } at && at >= from && at <= to).Select(w => w.AcknowledgedAt!.Value).Order().ToList();
        var longest = TimeSpan.Zero;
        var previous = from;
        foreach (var at in acks)
        {
            longest = at - previous > longest ? at - previous : longest;
            previous = at;
        }
        return longest;
    }

    private static void Report(ScenarioFigures figures)
    {
        Log(figures.ToString());
        var report = Environment.GetEnvironmentVariable(FaultScenarios.ReportVariable);
        if (!string.IsNullOrWhiteSpace(report))
        {
            File.AppendAllLines(report, [figures.ToJsonLine()]);
        }
    }

    private static void Log(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }
}
