using System.Diagnostics;
using Actors.Contracts;
using Actors.Silo.Storage;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// Silos on a real Redis Cluster (3 primaries × 1 replica): a write is acknowledged only once the replica of its
/// primary holds it, and a failover loses no acknowledged write (docs/reliability.md, Redundant storage).
/// </summary>
public sealed class ReplicatedStorageTests : IAsyncDisposable
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    private RedisClusterServer? _redis;
    private ClusterTestScope? _scope;

    [Fact]
    public async Task Write_OnCluster_AcknowledgedWithTheStateOnTheReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await StartAsync("replica-ack", ct);
        var root = ClusterTestScope.NewRoot();

        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"a":1}"""))).Version.Should().Be(1);

        var key = StateKey(root);
        var primary = await _redis!.PrimaryForKeyAsync(key, ct);
        var replica = (await _redis.GetReplicasAsync(primary, ct)).Single();
        var onReplica = await RespClient.ExecuteManyAsync(replica.Port, [["READONLY"], ["HEXISTS", key, "data"]], TimeSpan.FromSeconds(5), ct);
        onReplica[1].Should().Be("1", "the acknowledgement waited for the replica of {0}", primary);
    }

    [Fact]
    public async Task Write_ReplicaFrozen_NotAcknowledgedThenRetryAppliesOnceAfterItResumes()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await StartAsync("replica-frozen", ct);
        var root = ClusterTestScope.NewRoot();
        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"n":1}"""))).Version.Should().Be(1);
        var primary = await _redis!.PrimaryForKeyAsync(StateKey(root), ct);
        var replica = (await _redis.GetReplicasAsync(primary, ct)).Single();

        replica.Pause();
        var write = WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"n":2}""");
        var stopwatch = Stopwatch.StartNew();
        var refused = await client.Root(root).WriteAsync(write);
        var refusedAfter = stopwatch.Elapsed;

        // The refused write is on the primary. Its retry reactivates the root, whose first read waits for the replica:
        // answering "duplicate" now would acknowledge a write that no replica holds.
        WriteResult? retriedWhileFrozen;
        try
        {
            retriedWhileFrozen = await client.Root(root).WriteAsync(write);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            retriedWhileFrozen = null;
            TestContext.Current.TestOutputHelper?.WriteLine($"retry while frozen threw {ex.GetType().Name}: {ex.Message}");
        }

        replica.Resume();
        (retriedWhileFrozen?.Succeeded ?? false).Should().BeFalse("a duplicate is not acknowledged before the write it repeats is on a replica: {0}", retriedWhileFrozen);
        TestContext.Current.TestOutputHelper?.WriteLine($"write with its replica frozen refused after {refusedAfter.TotalMilliseconds:N0} ms: {refused.Error?.Message}");

        refused.Error.Should().NotBeNull("a write its replica did not confirm must not be acknowledged");
        refused.Error!.Kind.Should().Be(ActorsErrorKind.Unavailable);
        var retried = await Eventually.SucceedsAsync(
            "the retried write once the replica runs again", () => client.Root(root).WriteAsync(write), r => r.Succeeded, RecoveryTimeout, ct);
        retried.Version.Should().Be(2, "the write reached the primary once; the retry is its duplicate or its only application");
        (await client.Root(root).ReadAsync()).Should().BeEquivalentTo(new ReadResult(root.ToString(), 2, """{"n":2}"""));
    }

    [Fact]
    public async Task Write_PrimaryKilled_ReplicaServesEveryAcknowledgedWriteAndWritesResumeWhenANewReplicaJoins()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await StartAsync("failover", ct);
        var roots = Enumerable.Range(0, 40).Select(_ => ClusterTestScope.NewRoot()).ToArray();
        foreach (var root in roots)
        {
            (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"v":1}"""))).Version.Should().Be(1);
        }

        // The primary holding the most of these roots (not the one with the membership table, to keep this about storage).
        var byPrimary = new Dictionary<int, List<RootId>>();
        foreach (var root in roots)
        {
            var port = (await _redis!.PrimaryForKeyAsync(StateKey(root), ct)).Port;
            (byPrimary.TryGetValue(port, out var list) ? list : byPrimary[port] = []).Add(root);
        }

        var membershipPort = (await _redis!.PrimaryForKeyAsync($"{_scope!.Cluster.ServiceId}/members/{_scope.Cluster.ClusterId}", ct)).Port;
        var (victimPort, victimRoots) = byPrimary.Where(p => p.Key != membershipPort).OrderByDescending(p => p.Value.Count).First();
        var victim = _redis.NodeAt(victimPort);
        victim.Kill();
        var stopwatch = Stopwatch.StartNew();

        foreach (var root in victimRoots)
        {
            var read = await Eventually.SucceedsAsync($"reading {root} after the failover", () => client.Root(root).ReadAsync(), r => r.Succeeded, RecoveryTimeout, ct);
            read.Should().BeEquivalentTo(new ReadResult(root.ToString(), 1, """{"v":1}"""), "an acknowledged write survives its primary");
        }

        var readable = stopwatch.Elapsed;

        // The promoted replica has no replica of its own, so with MinReplicas = 1 it takes no writes: none could be
        // acknowledged. Once the killed node is back (its supervisor restarts it) it rejoins as the replica.
        var next = WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"v":2}""");
        var refused = await client.Root(victimRoots[0]).WriteAsync(next);
        refused.Error.Should().NotBeNull("no replica can confirm it while the shard runs on one node");
        refused.Error!.Kind.Should().Be(ActorsErrorKind.Unavailable);

        await victim.StartAsync(ct);
        var written = await Eventually.SucceedsAsync("writing once the killed node is back as a replica", () => client.Root(victimRoots[0]).WriteAsync(next), r => r.Succeeded, RecoveryTimeout, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{victimRoots.Count} roots on killed primary {victimPort}: readable {readable.TotalSeconds:0.0} s after the kill, writable {stopwatch.Elapsed.TotalSeconds:0.0} s after it (node restarted at once)");
        written.Version.Should().Be(2, "the refused write was applied at most once");
        (await client.Root(victimRoots[0]).ReadAsync()).Should().BeEquivalentTo(new ReadResult(victimRoots[0].ToString(), 2, """{"v":2}"""));
    }

    [Fact]
    public async Task MembershipPrimaryKilled_NoSiloDeclaredDeadAndTheClusterKeepsServing()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await StartAsync("membership", ct);
        var second = await _scope!.StartSiloAsync("membership-2", ct);
        await Eventually.SucceedsAsync("two active silos", () => client.Management.GetHosts(onlyActive: true), h => h.Count == 2, RecoveryTimeout, ct);
        var membershipKey = $"{_scope.Cluster.ServiceId}/members/{_scope.Cluster.ClusterId}";
        var victim = await _redis!.PrimaryForKeyAsync(membershipKey, ct);

        victim.Kill();
        var stopwatch = Stopwatch.StartNew();
        await _redis.WaitForHealthyAsync(TimeSpan.FromSeconds(30), ct);
        var failedOver = stopwatch.Elapsed;
        await victim.StartAsync(ct);

        // Long enough for several missed-probe rounds: a silo wrongly voted dead would be gone by now.
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        var hosts = await Eventually.SucceedsAsync("the membership table after the failover", () => client.Management.GetHosts(onlyActive: false), _ => true, RecoveryTimeout, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"membership primary {victim.Port} killed; cluster healthy again after {failedOver.TotalSeconds:0.0} s; hosts: {string.Join(", ", hosts.Select(h => $"{h.Key}={h.Value}"))}");
        hosts.Values.Should().AllSatisfy(status => status.Should().Be(SiloStatus.Active), "no silo was declared dead and no row was lost");
        hosts.Should().HaveCount(2);
        _scope.Silos.Should().AllSatisfy(silo => silo.Process.HasExited.Should().BeFalse(silo.RecentOutputWithHeader()));
        var root = ClusterTestScope.NewRoot();
        var written = await Eventually.SucceedsAsync("a write after the failover", () => client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), "{}")), r => r.Succeeded, RecoveryTimeout, ct);
        written.Version.Should().Be(1);
        second.Process.HasExited.Should().BeFalse();
    }

    private async Task<Actors.TestInfrastructure.Orleans.ActorsTestClient> StartAsync(string label, CancellationToken ct)
    {
        _redis = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        _scope = new ClusterTestScope(_redis.ConnectionString, label);
        await _scope.StartSiloAsync(label, ct);
        return await _scope.StartClientAsync(ct);
    }

    /// <summary>The Redis key of a root's state, as the silo's storage lays it out.</summary>
    private string StateKey(RootId root) =>
        new RootStorageKeys(_scope!.Cluster.ServiceId, new Options.RootStorageOptions().Partitions).StateKey("root", GrainId.Create("root", root.ToString())).ToString();

    public async ValueTask DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
