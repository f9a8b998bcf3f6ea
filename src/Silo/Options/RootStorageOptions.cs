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
}
