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
        if (string.Equals(provider, RootStorageSiloBuilderExtensions.RedisProvider, StringComparison.OrdinalIgnoreCase) && !cluster.Value.UsesRedis)
        {
            return ValidateOptionsResult.Fail(
                $"{RootStorageOptions.SectionName}:{nameof(options.Provider)} is '{provider}', which needs {ActorsClusterOptions.SectionName}:{nameof(ActorsClusterOptions.Redis)} (the connection string); set it or leave the provider unset.");
        }
        return ValidateOptionsResult.Success;
    }
}
