using Actors.FaultInjection.Tests.Harness;
using Actors.TestInfrastructure.Load;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Xmpp;

namespace Actors.FaultInjection.Tests;

/// <summary>
/// One real redis-server (AOF on, <c>appendfsync everysec</c>, as <c>./actors up</c> runs it) shared by the scenarios;
/// each scenario has a cluster of its own on it, and one real Prosody (STARTTLS with a self-signed certificate,
/// <c>smacks_hibernation_time</c> 5 s) with the accounts of <see cref="FaultXmpp"/>. Scenarios restart and kill them, so
/// they run one after another. The Redis Cluster scenarios (8–11) share one <see cref="RedisClusterServer"/>
/// (3 primaries × 1 replica, <c>cluster-node-timeout</c> 1000 ms, AOF on every node), started by the first of them.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public ProsodyServer Prosody { get; private set; } = null!;

    /// <summary>The Redis Cluster of scenarios 8–11, or null until one of them ran.</summary>
    public RedisClusterServer? RedisCluster { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        Prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls, SmacksHibernationTime = TimeSpan.FromSeconds(5) }, ct);
        foreach (var user in FaultXmpp.Users)
        {
            await Prosody.RegisterAsync(user, FaultXmpp.PasswordOf(user), ct);
        }
    }

    /// <summary>Starts Redis or Prosody again if an earlier scenario failed while it was down.</summary>
    public async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (Redis.Process is null || Redis.Process.HasExited)
        {
            await Redis.StartAsync(cancellationToken);
        }
        if (Prosody.Process is null || Prosody.Process.HasExited)
        {
            await Prosody.StartAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Starts the Redis Cluster the first time; later, lets run again every node an earlier scenario left frozen or
    /// down (a failed one), and waits until the cluster is healthy: every slot served, every replica in sync.
    /// </summary>
    public async Task<RedisClusterServer> EnsureRedisClusterAsync(CancellationToken cancellationToken)
    {
        if (RedisCluster is null)
        {
            RedisCluster = await RedisClusterServer.StartNewAsync(cancellationToken: cancellationToken);
            return RedisCluster;
        }
        foreach (var node in RedisCluster.Nodes.Where(n => n.IsPaused))
        {
            node.Resume();
        }
        foreach (var node in RedisCluster.Nodes.Where(n => !n.IsRunning))
        {
            await node.StartAsync(cancellationToken);
        }
        await RedisCluster.WaitForHealthyAsync(cancellationToken: cancellationToken);
        return RedisCluster;
    }

    /// <summary>The two-node ejabberd cluster of scenario 15, or null until it ran.</summary>
    public EjabberdCluster? Ejabberd { get; private set; }

    /// <summary>
    /// Starts the ejabberd cluster the first time (STARTTLS with one certificate, the accounts of <see cref="FaultXmpp"/>
    /// registered once for both nodes); later, starts again any node an earlier scenario left down and waits until it is
    /// back in the cluster.
    /// </summary>
    public async Task<EjabberdCluster> EnsureEjabberdClusterAsync(CancellationToken cancellationToken)
    {
        if (Ejabberd is null)
        {
            Ejabberd = await EjabberdCluster.StartNewAsync(adminApi: true, cancellationToken: cancellationToken);
            foreach (var user in FaultXmpp.Users.Append(FaultXmpp.AdminUser))
            {
                await Ejabberd.RegisterAsync(user, FaultXmpp.PasswordOf(user), cancellationToken);
            }
            return Ejabberd;
        }
        foreach (var node in Ejabberd.Nodes.Where(n => n.Process is null || n.Process.HasExited))
        {
            await node.StartAsync(cancellationToken);
        }
        await WaitUntilJoinedAsync(Ejabberd, cancellationToken);
        return Ejabberd;
    }

    /// <summary>Waits until every node's <c>list_cluster</c> lists every node (a restarted node rejoins on its own spool).</summary>
    public static async Task<TimeSpan> WaitUntilJoinedAsync(EjabberdCluster ejabberd, CancellationToken cancellationToken)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var joined = true;
            foreach (var node in ejabberd.Nodes)
            {
                joined &= (await ejabberd.ListClusterAsync(node, cancellationToken)).Count == ejabberd.Nodes.Count;
            }
            if (joined)
            {
                return stopwatch.Elapsed;
            }
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The ejabberd nodes did not form one cluster again within 60 s.");
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Ejabberd is not null)
        {
            await Ejabberd.DisposeAsync();
        }
        if (RedisCluster is not null)
        {
            await RedisCluster.DisposeAsync();
        }
        if (Prosody is not null)
        {
            await Prosody.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
