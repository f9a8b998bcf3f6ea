using Actors.Contracts.Hosting;
using Actors.Silo.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Hosting;

/// <summary>Logs once, at startup, where this silo keeps its data — loudly when that is memory only.</summary>
internal sealed partial class StartupBanner(
    IOptions<ActorsClusterOptions> cluster,
    IOptions<SiloEndpointOptions> endpoint,
    IOptions<RootStorageOptions> storage,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var c = cluster.Value;
        var e = endpoint.Value;
        var provider = storage.Value.EffectiveProvider(c);
        if (c.UsesRedis)
        {
            LogRedisMode(logger, e.EffectiveName, OptionsFormatter.ForLog(c), provider, e.SiloPort, e.GatewayPort);
            if (string.Equals(provider, RootStorageSiloBuilderExtensions.MemoryProvider, StringComparison.OrdinalIgnoreCase))
            {
                LogMemoryStorage(logger, e.EffectiveName);
            }
        }
        else
        {
            LogEmbeddedMode(logger, e.EffectiveName, e.SiloPort, e.GatewayPort);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Silo {Name}: cluster in Redis ({Cluster}); root storage {Storage}; silo port {SiloPort}, gateway port {GatewayPort}.")]
    private static partial void LogRedisMode(ILogger logger, string name, FormattedOptions<ActorsClusterOptions> cluster, string storage, int siloPort, int gatewayPort);

    [LoggerMessage(2, LogLevel.Warning, "!!! Silo {Name} runs EMBEDDED: no Actors:Redis configured, so it runs alone with IN-MEMORY storage. DATA WILL NOT SURVIVE A RESTART. Set Actors__Redis=host:port for durable storage and a real cluster. (silo port {SiloPort}, gateway port {GatewayPort}) !!!")]
    private static partial void LogEmbeddedMode(ILogger logger, string name, int siloPort, int gatewayPort);

    [LoggerMessage(3, LogLevel.Warning, "!!! Silo {Name} keeps its roots IN MEMORY (Actors:Storage:Provider=Memory) although the cluster is in Redis. DATA WILL NOT SURVIVE A RESTART. !!!")]
    private static partial void LogMemoryStorage(ILogger logger, string name);
}
