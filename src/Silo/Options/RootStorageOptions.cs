using Actors.Contracts.Hosting;

namespace Actors.Silo.Options;

/// <summary>Which grain storage holds the roots; bound from <c>Actors:Storage</c> (environment: <c>Actors__Storage__Provider</c>).</summary>
public sealed class RootStorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors:Storage";

    /// <summary>
    /// The storage provider by name, one of <see cref="Hosting.RootStorageSiloBuilderExtensions.ProviderNames"/>
    /// (<c>Redis</c>, <c>Memory</c>). Unset: <c>Redis</c> when <see cref="ActorsClusterOptions.Redis"/> is set, else
    /// <c>Memory</c> (the embedded default).
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>The provider this silo uses: <see cref="Provider"/>, or the default that follows from <paramref name="cluster"/>.</summary>
    public string EffectiveProvider(ActorsClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (!string.IsNullOrWhiteSpace(Provider))
        {
            return Provider;
        }
        return cluster.UsesRedis ? Hosting.RootStorageSiloBuilderExtensions.RedisProvider : Hosting.RootStorageSiloBuilderExtensions.MemoryProvider;
    }

    /// <summary>
    /// Replicas that must hold a write before it is acknowledged (Redis storage; docs/reliability.md). On one Redis
    /// without replicas the storage says it is not redundant and acknowledges on the primary alone.
    /// </summary>
    public int MinReplicas { get; set; } = 1;

    /// <summary>How long a write waits for <see cref="MinReplicas"/>; then it is not acknowledged (HTTP 503, XMPP wait).</summary>
    public TimeSpan ReplicationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Partitions roots are spread over (Redis storage): each is one Redis Cluster hash slot holding its roots and, with
    /// queries, their index entries. Part of the stored layout: change it only on an empty store.
    /// </summary>
    public int Partitions { get; set; } = 64;

    /// <summary>
    /// Whether root storage's connections read Redis' replies on StackExchange.Redis' own pool of ten threads
    /// (<c>SocketManager.Shared</c>) instead of on .NET's thread pool (ours). Turn it on only when code in the silo
    /// blocks thread-pool threads waiting for Redis.
    /// </summary>
    public bool DedicatedRedisThreads { get; set; }

    /// <summary>Read states of the layout before partitions (Orleans' Redis provider) when a root has none in the new one.</summary>
    public bool ReadLegacyKeys { get; set; } = true;
}
