using Actors.Contracts.Hosting;
using Actors.Silo.Options;
using Actors.Silo.Queries;
using Actors.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Hosting;

/// <summary>
/// The grain storages root grains can persist to, as Orleans providers register themselves: one
/// <c>AddActors…RootStorage(name, configure)</c> extension per storage, and a table naming them for
/// <c>Actors:Storage:Provider</c>.
/// </summary>
/// <remarks>
/// Adding a storage: write its <c>AddActors…RootStorage</c> extension here (or next to its implementation) and add one
/// line to <see cref="Providers"/>; <see cref="ActorsSiloExtensions.AddActorsSilo"/> does not change.
/// </remarks>
public static class RootStorageSiloBuilderExtensions
{
    /// <summary>The provider name of <see cref="AddActorsReplicatedRedisRootStorage"/>: the default with <c>Actors:Redis</c> set.</summary>
    public const string RedisProvider = "Redis";

    /// <summary>
    /// The provider name of <see cref="AddActorsRedisRootStorage(ISiloBuilder, string, Action{OptionsBuilder{RedisStorageOptions}}?)"/>:
    /// Orleans' own Redis provider, without replica acknowledgement (the benchmarks' baseline, and the previous layout).
    /// </summary>
    public const string OrleansRedisProvider = "OrleansRedis";

    /// <summary>The provider name of <see cref="AddActorsMemoryRootStorage(ISiloBuilder, string, Action{OptionsBuilder{MemoryGrainStorageOptions}}?)"/>.</summary>
    public const string MemoryProvider = "Memory";

    /// <summary>Every storage <c>Actors:Storage:Provider</c> may name, and how each registers under a storage name.</summary>
    private static readonly Dictionary<string, Action<ISiloBuilder, string, ActorsClusterOptions>> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        [RedisProvider] = static (silo, name, cluster) => silo.AddActorsReplicatedRedisRootStorage(name, cluster.Redis!),
        [OrleansRedisProvider] = static (silo, name, cluster) =>
            silo.AddActorsRedisRootStorage(name, options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis!)),
        [MemoryProvider] = static (silo, name, _) => silo.AddActorsMemoryRootStorage(name),
    };

    /// <summary>The names <c>Actors:Storage:Provider</c> accepts.</summary>
    public static IReadOnlyCollection<string> ProviderNames => Providers.Keys;

    /// <summary>
    /// Adds the root storage <paramref name="storage"/> selects (<see cref="RootStorageOptions.EffectiveProvider"/>:
    /// Redis when <c>Actors:Redis</c> is set, memory otherwise, unless <c>Actors:Storage:Provider</c> says) as grain
    /// storage <paramref name="name"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The provider is unknown or lacks what it needs.</exception>
    public static ISiloBuilder AddActorsRootStorage(this ISiloBuilder builder, string name, RootStorageOptions storage, ActorsClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(cluster);
        var result = new RootStorageOptionsValidator(Microsoft.Extensions.Options.Options.Create(cluster)).Validate(name, storage);
        if (result.Failed)
        {
            throw new OptionsValidationException(name, typeof(RootStorageOptions), result.Failures);
        }
        Providers[storage.EffectiveProvider(cluster)](builder, name, cluster);
        return builder;
    }

    /// <summary>
    /// Adds root storage <paramref name="name"/> on Redis at <paramref name="connectionString"/> (one server, or any nodes
    /// of a Redis Cluster) with replica-acknowledged writes (<see cref="ReplicatedRedisGrainStorage"/>), configured from
    /// <c>Actors:Storage</c> (<see cref="RootStorageOptions"/>). States of the previous layout are read through Orleans'
    /// provider, registered as <c>&lt;name&gt;-legacy</c>, unless <see cref="RootStorageOptions.ReadLegacyKeys"/> is off.
    /// </summary>
    public static ISiloBuilder AddActorsReplicatedRedisRootStorage(this ISiloBuilder builder, string name, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var legacyName = name + "-legacy";
        builder.AddActorsRedisRootStorage(legacyName, options => options.ConfigurationOptions = ConfigurationOptions.Parse(connectionString));
        // Queries (docs/queries.md) read what this storage writes: one store per silo shares its connections and keys.
        builder.Services.AddOptions<QueryOptions>().BindConfiguration(QueryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<QueryOptions>, QueryOptionsValidator>();
        builder.Services.AddSingleton(services => new RootIndexStore(
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            services.GetRequiredService<IOptions<RootStorageOptions>>().Value.Partitions,
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredService<IOptions<QueryOptions>>().Value.TokenKey));
        builder.Services.AddHostedService<IndexBuildKeeper>();
        builder.Services.AddHostedService<CatalogBackfillKeeper>();
        builder.Services.AddGrainStorage(name, (services, storageName) =>
        {
            var options = services.GetRequiredService<IOptions<RootStorageOptions>>().Value;
            var indexes = services.GetRequiredService<RootIndexStore>();
            return new ReplicatedRedisGrainStorage(
                storageName,
                connectionString,
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                options,
                indexes.Serializer,
                options.ReadLegacyKeys ? services.GetRequiredKeyedService<IGrainStorage>(legacyName) : null,
                services.GetRequiredService<ILogger<ReplicatedRedisGrainStorage>>(),
                indexes);
        });
        return builder;
    }

    /// <summary>Adds root storage <paramref name="name"/> in Redis; <paramref name="configure"/> sets at least the connection.</summary>
    public static ISiloBuilder AddActorsRedisRootStorage(this ISiloBuilder builder, string name, Action<RedisStorageOptions> configure) =>
        builder.AddActorsRedisRootStorage(name, options => options.Configure(configure));

    /// <summary>
    /// Adds root storage <paramref name="name"/> in Redis (Orleans' Redis grain storage), storing state with Orleans'
    /// binary serializer; <paramref name="configureOptions"/> sets at least <see cref="RedisStorageOptions.ConfigurationOptions"/>.
    /// </summary>
    /// <remarks>
    /// The connection keeps retrying in the background (<c>AbortOnConnectFail = false</c>) when Redis is down at startup
    /// or restarts; writes fail fast meanwhile.
    /// </remarks>
    public static ISiloBuilder AddActorsRedisRootStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<RedisStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRedisGrainStorage(name, options =>
        {
            // Orleans' binary serializer: compact and fast for the write-id memory persisted with every write.
            options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            configureOptions?.Invoke(options);
            options.PostConfigure(o =>
            {
                if (o.ConfigurationOptions is { } redis)
                {
                    redis.AbortOnConnectFail = false;
                }
            });
        });
    }

    /// <summary>Adds root storage <paramref name="name"/> in memory: nothing survives a restart (the embedded default).</summary>
    public static ISiloBuilder AddActorsMemoryRootStorage(this ISiloBuilder builder, string name, Action<MemoryGrainStorageOptions> configure) =>
        builder.AddActorsMemoryRootStorage(name, options => options.Configure(configure));

    /// <summary>Adds root storage <paramref name="name"/> in memory: nothing survives a restart (the embedded default).</summary>
    public static ISiloBuilder AddActorsMemoryRootStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<MemoryGrainStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMemoryGrainStorage(name, configureOptions);
    }
}
