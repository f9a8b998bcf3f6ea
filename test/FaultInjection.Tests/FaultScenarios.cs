namespace Actors.FaultInjection.Tests;

/// <summary>
/// The scenarios of issue 5 (1–7), of issue 11 (8–14, on a Redis Cluster) and of issue 14 (15–17, on an ejabberd cluster), and which of them run by default. <c>ACTORS_FAULTS=all</c> runs
/// every one; the default is a quick subset for CI. The choice changes the theory's data, so nothing is ever reported
/// as skipped.
/// </summary>
public static class FaultScenarios
{
    /// <summary>The variable that selects the whole suite.</summary>
    public const string Variable = "ACTORS_FAULTS";

    /// <summary>If set, every scenario run appends a JSON line with its figures to this file.</summary>
    public const string ReportVariable = "ACTORS_FAULTS_REPORT";

    public const string KillSilo = "1-kill-one-silo";
    public const string KillSiloNoHints = "1n-kill-one-silo-crash-hints-off";
    public const string KillTwoSilos = "2-kill-two-of-three-silos";
    public const string AddSilo = "4-start-fourth-silo";
    public const string DrainSilo = "3-drain-silo-over-xmpp";
    public const string RestartRedis = "5-restart-redis";
    public const string KillRedis = "5k-sigkill-redis";
    public const string RestartProsody = "6-restart-prosody";
    public const string KillGateway = "7-kill-gateway";
    public const string KillRedisPrimary = "8-kill-redis-primary";
    public const string KillRedisPrimaryQuickRestart = "8q-kill-redis-primary-quick-restart";
    public const string KillRedisReplica = "9-kill-redis-replica";
    public const string PauseRedisPrimary = "10-pause-redis-primary";
    public const string KillRedisMembershipPrimary = "11-kill-redis-membership-primary";
    public const string RollingRestartRedisCluster = "12-rolling-restart-redis-cluster";
    public const string AddRedisShard = "13-add-redis-shard";
    public const string RemoveRedisShard = "13r-remove-redis-shard";
    public const string KillRedisPrimaryAndReplica = "14-kill-redis-primary-and-its-replica";
    public const string KillEjabberdNode = "15-kill-ejabberd-node";
    public const string KillEjabberdNodeWithSilo = "15m-kill-ejabberd-node-and-its-silo";
    public const string RollingRestartEjabberd = "16-rolling-restart-ejabberd";
    public const string KillSiloWatcherOnOtherNode = "17-kill-silo-watcher-on-other-node";

    /// <summary>The scenarios that run on a Redis Cluster (3 primaries × 1 replica) instead of one redis-server.</summary>
    private static readonly string[] RedisCluster =
    [
        KillRedisPrimary, KillRedisPrimaryQuickRestart, KillRedisReplica, PauseRedisPrimary, KillRedisMembershipPrimary,
        RollingRestartRedisCluster, AddRedisShard, RemoveRedisShard, KillRedisPrimaryAndReplica,
    ];

    private static readonly string[] Quick = [KillSilo, DrainSilo, RestartRedis, RestartProsody, KillRedisPrimary, KillRedisMembershipPrimary, RollingRestartRedisCluster, KillEjabberdNodeWithSilo];
    private static readonly string[] All =
    [
        KillSilo, KillSiloNoHints, KillTwoSilos, DrainSilo, AddSilo, RestartRedis, KillRedis, RestartProsody, KillGateway,
        KillRedisPrimary, KillRedisPrimaryQuickRestart, KillRedisReplica, PauseRedisPrimary, KillRedisMembershipPrimary,
        RollingRestartRedisCluster, AddRedisShard, RemoveRedisShard, KillRedisPrimaryAndReplica, KillEjabberdNode,
        KillEjabberdNodeWithSilo, RollingRestartEjabberd, KillSiloWatcherOnOtherNode,
    ];

    /// <summary>Whether <paramref name="scenario"/> runs its XMPP side on a two-node ejabberd cluster instead of the Prosody.</summary>
    public static bool OnEjabberdCluster(string scenario) =>
        scenario is KillEjabberdNode or KillEjabberdNodeWithSilo or RollingRestartEjabberd or KillSiloWatcherOnOtherNode;

    /// <summary>Whether <paramref name="scenario"/> runs on the Redis Cluster.</summary>
    public static bool OnRedisCluster(string scenario) => RedisCluster.Contains(scenario);

    /// <summary>The scenarios this run executes.</summary>
    public static TheoryData<string> Selected()
    {
        var selection = Environment.GetEnvironmentVariable(Variable);
        var names = string.Equals(selection, "all", StringComparison.OrdinalIgnoreCase)
            ? All
            : string.IsNullOrWhiteSpace(selection)
                ? Quick
                : [.. selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(All.Contains)];
        return [.. names];
    }
}
