namespace Actors.TestInfrastructure.Redis;

/// <summary>Settings for a <see cref="RedisClusterServer"/>.</summary>
public sealed record RedisClusterOptions
{
    /// <summary>
    /// How many primaries share the 16384 hash slots. From 3 on the cluster is made by <c>redis-cli --cluster create</c>;
    /// fewer (which that refuses) by hand with <c>CLUSTER ADDSLOTSRANGE</c>, <c>MEET</c> and <c>REPLICATE</c>.
    /// </summary>
    public int Primaries { get; init; } = 3;

    /// <summary>How many replicas each primary gets (0 for none).</summary>
    public int ReplicasPerPrimary { get; init; } = 1;

    /// <summary>
    /// <c>cluster-node-timeout</c>: how long a node may be unreachable before it is flagged as failing. With
    /// 1000 ms a killed primary's replica takes over in about 2.2–2.9 s (shared/SERVERS.md).
    /// </summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Append-only file on every node (the design's setting); off gives purely in-memory nodes.</summary>
    public bool AppendOnly { get; init; } = true;

    /// <summary>
    /// More <c>redis.conf</c> directives written into every node's config, e.g.
    /// <c>["min-replicas-to-write"] = "1"</c>. They come last, so they override the fixture's own settings.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>How long starting every node, creating the cluster and waiting until it is healthy may take.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="RedisClusterServer.WaitForHealthyAsync"/> waits by default (covers a failover and a resync).</summary>
    public TimeSpan HealthyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful stop of one node may take before it is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Total number of redis-server processes.</summary>
    public int NodeCount => Primaries * (1 + ReplicasPerPrimary);
}
