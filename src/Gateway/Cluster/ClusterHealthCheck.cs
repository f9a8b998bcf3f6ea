using Actors.Gateway.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Actors.Gateway.Cluster;

/// <summary>
/// Ready when the gateway is connected and the cluster's membership answers within
/// <see cref="GatewayOptions.ReadinessTimeout"/> with at least one active silo. One cheap management call, no grain activation.
/// </summary>
internal sealed class ClusterHealthCheck(ActorsCluster cluster, IOptions<GatewayOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!cluster.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Not connected to the cluster yet.");
        }
        try
        {
            var hosts = await cluster.Management().GetHosts(onlyActive: true).WaitAsync(options.Value.ReadinessTimeout, cancellationToken);
            var active = hosts.Count(host => host.Value == SiloStatus.Active);
            return active > 0
                ? HealthCheckResult.Healthy($"{active} active silo(s).")
                : HealthCheckResult.Unhealthy("The cluster has no active silo.");
        }
        catch (Exception exception) when (ClusterFailures.IsUnavailable(exception))
        {
            return HealthCheckResult.Unhealthy($"The cluster did not answer: {exception.GetType().Name}.");
        }
    }
}
