using Actors.Contracts.Hosting;
using Actors.Silo.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Hosting;

/// <summary>Logs once, at startup, where this silo keeps its data — loudly when that is memory only.</summary>
internal sealed partial class StartupBanner(ActorsClusterOptions cluster, IOptions<SiloEndpointOptions> endpoint, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var e = endpoint.Value;
        if (cluster.UsesRedis)
        {
            LogRedisMode(logger, e.EffectiveName, cluster.RedisForLog, cluster.ClusterId, e.SiloPort, e.GatewayPort);
        }
        else
        {
            LogEmbeddedMode(logger, e.EffectiveName, e.SiloPort, e.GatewayPort);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Silo {Name}: cluster '{ClusterId}' in Redis {Redis}; silo port {SiloPort}, gateway port {GatewayPort}.")]
    private static partial void LogRedisMode(ILogger logger, string name, string redis, string clusterId, int siloPort, int gatewayPort);

    [LoggerMessage(2, LogLevel.Warning, "!!! Silo {Name} runs EMBEDDED: no Actors:Redis configured, so it runs alone with IN-MEMORY storage. DATA WILL NOT SURVIVE A RESTART. Set Actors__Redis=host:port for durable storage and a real cluster. (silo port {SiloPort}, gateway port {GatewayPort}) !!!")]
    private static partial void LogEmbeddedMode(ILogger logger, string name, int siloPort, int gatewayPort);
}
