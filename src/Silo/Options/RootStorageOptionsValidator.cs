using Actors.Contracts.Hosting;
using Actors.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Options;

/// <summary>Fails startup with a message naming the setting when <see cref="RootStorageOptions.Provider"/> names no storage this silo can run.</summary>
internal sealed class RootStorageOptionsValidator(IOptions<ActorsClusterOptions> cluster) : IValidateOptions<RootStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, RootStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.EffectiveProvider(cluster.Value);
        if (!RootStorageSiloBuilderExtensions.ProviderNames.Contains(provider, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"{RootStorageOptions.SectionName}:{nameof(options.Provider)} is '{provider}'; it must be one of {string.Join(", ", RootStorageSiloBuilderExtensions.ProviderNames)} (or unset).");
        }
        if ((string.Equals(provider, RootStorageSiloBuilderExtensions.RedisProvider, StringComparison.OrdinalIgnoreCase)
                || string.Equals(provider, RootStorageSiloBuilderExtensions.OrleansRedisProvider, StringComparison.OrdinalIgnoreCase))
            && !cluster.Value.UsesRedis)
        {
            return ValidateOptionsResult.Fail(
                $"{RootStorageOptions.SectionName}:{nameof(options.Provider)} is '{provider}', which needs {ActorsClusterOptions.SectionName}:{nameof(ActorsClusterOptions.Redis)} (the connection string); set it or leave the provider unset.");
        }
        if (options.MinReplicas < 0)
        {
            return ValidateOptionsResult.Fail($"{RootStorageOptions.SectionName}:{nameof(options.MinReplicas)} is {options.MinReplicas}; it must be 0 or more.");
        }
        if (options.ReplicationTimeout <= TimeSpan.Zero || options.ReplicationTimeout > TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail($"{RootStorageOptions.SectionName}:{nameof(options.ReplicationTimeout)} is {options.ReplicationTimeout}; it must be above zero and at most a minute (e.g. 00:00:01).");
        }
        if (options.Partitions is < 1 or > 16384)
        {
            return ValidateOptionsResult.Fail($"{RootStorageOptions.SectionName}:{nameof(options.Partitions)} is {options.Partitions}; it must be from 1 to 16384 (Redis Cluster has 16384 slots).");
        }
        return ValidateOptionsResult.Success;
    }
}
