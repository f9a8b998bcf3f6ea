using System.Diagnostics;
using Actors.TestInfrastructure.Redis;
using StackExchange.Redis;

namespace Actors.Fixtures.Tests;

public sealed class RedisClusterServerTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task StartNew_Default_ThreePrimariesWithOneReplicaEach_ServesKeysThroughStackExchangeRedis()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);

        cluster.Nodes.Should().HaveCount(6);
        cluster.ConnectionString.Split(',').Should().BeEquivalentTo(cluster.Nodes.Select(n => $"127.0.0.1:{n.Port}"));
        var primaries = await cluster.GetPrimariesAsync(ct);
        primaries.Should().HaveCount(3);
        foreach (var primary in primaries)
        {
            (await primary.GetRoleAsync(ct)).Should().Be(RedisClusterRole.Primary);
            var replicas = await cluster.GetReplicasAsync(primary, ct);
            replicas.Should().ContainSingle().Which.Should().NotBeSameAs(primary);
            (await replicas[0].GetRoleAsync(ct)).Should().Be(RedisClusterRole.Replica);
        }

        await using var client = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var db = client.GetDatabase();
        var keys = Enumerable.Range(0, 30).Select(i => $"key-{i}").ToArray();
        foreach (var key in keys)
        {
            (await db.StringSetAsync(key, $"value of {key}")).Should().BeTrue();
        }

        var owners = new HashSet<int>();
        foreach (var key in keys)
        {
            ((string?)await db.StringGetAsync(key)).Should().Be($"value of {key}");
            var owner = await cluster.PrimaryForKeyAsync(key, ct);
            owners.Add(owner.Port);
            // The owner answers directly; any other primary redirects.
            (await owner.ExecuteAsync(["GET", key], ct)).Should().Be($"value of {key}");
            var other = primaries.First(p => p != owner);
            var redirect = async () => await other.ExecuteAsync(["GET", key], ct);
            (await redirect.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*MOVED*");
        }

        owners.Should().BeEquivalentTo(primaries.Select(p => p.Port), "30 keys spread over all three primaries");
        TestContext.Current.SendDiagnosticMessage($"3 × 1 cluster started and healthy in {cluster.LastStartDuration.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task StartNew_OnePrimaryWithOneReplica_ServesEverySlotAndReplicates()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await RedisClusterServer.StartNewAsync(new RedisClusterOptions { Primaries = 1 }, ct);

        cluster.Nodes.Should().HaveCount(2);
        var primary = (await cluster.GetPrimariesAsync(ct)).Should().ContainSingle().Subject;
        (await cluster.GetTopologyAsync(ct)).Find(primary.NodeId!)!.SlotCount.Should().Be(RedisClusterTopology.SlotCount);
        var replica = (await cluster.GetReplicasAsync(primary, ct)).Should().ContainSingle().Subject;
        var replies = await RespClient.ExecuteManyAsync(primary.Port, [["SET", "one-shard", "v"], ["WAIT", "1", "2000"]], CommandTimeout, ct);
        replies.Should().Equal("OK", "1");
        (await RespClient.ExecuteManyAsync(replica.Port, [["READONLY"], ["GET", "one-shard"]], CommandTimeout, ct))[1].Should().Be("v");
    }

    [Fact]
    public async Task KillPrimary_ItsReplicaTakesOverWithinSeconds_AndTheRestartedNodeRejoinsAsItsReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        await using var client = await ConnectionMultiplexer.ConnectAsync(Configure(cluster));
        var db = client.GetDatabase();
        const string key = "survives-failover";
        var primary = await cluster.PrimaryForKeyAsync(key, ct);
        var replica = (await cluster.GetReplicasAsync(primary, ct)).Single();
        // On the primary's own connection: SET, then WAIT until the replica has it.
        var replies = await RespClient.ExecuteManyAsync(primary.Port, [["SET", key, "before"], ["WAIT", "1", "2000"]], CommandTimeout, ct);
        replies.Should().Equal("OK", "1");

        var stopwatch = Stopwatch.StartNew();
        primary.Kill();
        var failed = await WriteUntilAcceptedAsync(db, key, "after", TimeSpan.FromSeconds(15), ct);
        var failover = stopwatch.Elapsed;

        (await replica.GetRoleAsync(ct)).Should().Be(RedisClusterRole.Primary);
        (await cluster.PrimaryForKeyAsync(key, ct)).Should().BeSameAs(replica);
        ((string?)await db.StringGetAsync(key)).Should().Be("after");
        failover.Should().BeLessThan(TimeSpan.FromSeconds(10));
        await cluster.WaitForHealthyAsync(cancellationToken: ct);

        stopwatch.Restart();
        await primary.StartAsync(ct);
        await cluster.WaitForHealthyAsync(cancellationToken: ct);
        var rejoin = stopwatch.Elapsed;

        (await primary.GetRoleAsync(ct)).Should().Be(RedisClusterRole.Replica);
        (await cluster.GetReplicasAsync(replica, ct)).Should().ContainSingle().Which.Should().BeSameAs(primary);
        var onReplica = await RespClient.ExecuteManyAsync(primary.Port, [["READONLY"], ["GET", key]], CommandTimeout, ct);
        onReplica[1].Should().Be("after");
        TestContext.Current.SendDiagnosticMessage(
            $"SIGKILL of primary {primary.Port}: writes accepted again by {replica.Port} after {failover.TotalSeconds:0.00} s ({failed} failed tries); " +
            $"restarted node in sync as replica after {rejoin.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task PausePrimary_LongerThanNodeTimeout_ReplicaTakesOver_AndResumedNodeBecomesReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        var primary = (await cluster.GetPrimariesAsync(ct))[0];
        var replica = (await cluster.GetReplicasAsync(primary, ct)).Single();

        primary.Pause();
        primary.IsPaused.Should().BeTrue();
        var failover = await cluster.WaitForHealthyAsync(cancellationToken: ct);

        (await replica.GetRoleAsync(ct)).Should().Be(RedisClusterRole.Primary);
        (await cluster.GetPrimariesAsync(ct)).Should().Contain(replica).And.NotContain(primary);

        primary.Resume();
        var rejoin = await cluster.WaitForHealthyAsync(cancellationToken: ct);

        (await primary.GetRoleAsync(ct)).Should().Be(RedisClusterRole.Replica);
        (await cluster.GetReplicasAsync(replica, ct)).Should().Contain(primary);
        TestContext.Current.SendDiagnosticMessage(
            $"SIGSTOP of primary {primary.Port}: healthy without it after {failover.TotalSeconds:0.00} s; after SIGCONT a replica in sync in {rejoin.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Restart_AllNodesAfterGracefulStop_SameRolesAndKeysFromAof()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        var primaries = (await cluster.GetPrimariesAsync(ct)).Select(p => p.Port).ToArray();
        var owner = await cluster.PrimaryForKeyAsync("durable", ct);
        (await owner.ExecuteAsync(["SET", "durable", "yes"], ct)).Should().Be("OK");

        await cluster.StopAsync(ct);
        cluster.Nodes.Should().OnlyContain(n => !n.IsRunning);
        await cluster.StartAsync(ct);

        (await cluster.GetPrimariesAsync(ct)).Select(p => p.Port).Should().Equal(primaries);
        (await owner.ExecuteAsync(["GET", "durable"], ct)).Should().Be("yes");
        TestContext.Current.SendDiagnosticMessage($"6 nodes restarted from nodes.conf and healthy in {cluster.LastStartDuration.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task AddShard_ThenRemoveShard_SlotsMoveThereAndBack_EveryKeyStaysReadable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        var removeFirst = async () => await cluster.RemoveShardAsync(ct);
        (await removeFirst.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*never removed*");
        await using var client = await ConnectionMultiplexer.ConnectAsync(Configure(cluster));
        var db = client.GetDatabase();
        var keys = Enumerable.Range(0, 300).Select(i => $"shard-key-{i}").ToArray();
        foreach (var key in keys)
        {
            (await db.StringSetAsync(key, key)).Should().BeTrue();
        }

        var added = await cluster.AddShardAsync(ct);

        cluster.Nodes.Should().HaveCount(8);
        cluster.AddedShards.Should().Be(1);
        (await cluster.GetPrimariesAsync(ct)).Should().HaveCount(4).And.Contain(added.Primary);
        (await cluster.GetReplicasAsync(added.Primary, ct)).Should().ContainSingle().Which.Should().BeSameAs(added.Replica);
        added.SlotsMoved.Should().BeInRange(16384 / 4 - 200, 16384 / 4 + 200, "the rebalance evens the slots out over 4 primaries");
        var onNewShard = 0;
        foreach (var key in keys)
        {
            ((string?)await db.StringGetAsync(key)).Should().Be(key);
            if (await cluster.PrimaryForKeyAsync(key, ct) == added.Primary)
            {
                onNewShard++;
                (await added.Primary.ExecuteAsync(["GET", key], ct)).Should().Be(key, "the key moved with its slot");
            }
        }

        onNewShard.Should().BeGreaterThan(0);
        var removed = await cluster.RemoveShardAsync(ct);

        cluster.Nodes.Should().HaveCount(6);
        cluster.AddedShards.Should().Be(0);
        removed.Primary.IsRunning.Should().BeFalse();
        removed.Replica.IsRunning.Should().BeFalse();
        Directory.Exists(removed.Primary.DataDirectory).Should().BeFalse();
        (await cluster.GetPrimariesAsync(ct)).Should().HaveCount(3);
        foreach (var key in keys)
        {
            ((string?)await db.StringGetAsync(key)).Should().Be(key);
        }

        TestContext.Current.SendDiagnosticMessage(
            $"add-shard: joined in {added.Membership.TotalSeconds:0.0} s, {added.SlotsMoved} slots ({onNewShard} of {keys.Length} keys) moved in {added.SlotMove.TotalSeconds:0.0} s; " +
            $"remove-shard: slots moved back in {removed.SlotMove.TotalSeconds:0.0} s, nodes removed in {removed.Membership.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Dispose_RunningCluster_LeavesNoProcessAndNoDirectory()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = await RedisClusterServer.StartNewAsync(new RedisClusterOptions { ReplicasPerPrimary = 0 }, ct);
        cluster.Nodes.Should().HaveCount(3);
        cluster.Nodes[1].Pause();
        var tree = cluster.Nodes.SelectMany(n => n.Process!.GetProcessTree()).ToArray();
        tree.Should().HaveCount(3).And.OnlyContain(p => p.Name.StartsWith("redis-server", StringComparison.Ordinal));

        await cluster.DisposeAsync();

        tree.Where(p => p.IsAlive).Should().BeEmpty();
        Directory.Exists(cluster.DataDirectory).Should().BeFalse();
    }

    private static ConfigurationOptions Configure(RedisClusterServer cluster)
    {
        var options = ConfigurationOptions.Parse(cluster.ConnectionString);
        options.SyncTimeout = options.AsyncTimeout = 1000;
        options.ConnectTimeout = 1000;
        return options;
    }

    // Retries a SET until the cluster takes it; returns how many tries failed.
    private static async Task<int> WriteUntilAcceptedAsync(IDatabase db, string key, string value, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var failed = 0;
        while (true)
        {
            try
            {
                if (await db.StringSetAsync(key, value))
                {
                    return failed;
                }
            }
            catch (RedisException) when (deadline.Elapsed < timeout)
            {
                failed++;
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new TimeoutException($"The cluster did not take SET {key} within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100, ct);
        }
    }
}
