using Actors.Contracts;
using Actors.Gateway.Cluster;
using Actors.Gateway.Options;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Actors.Gateway.Security;

namespace Actors.Gateway.Endpoints;

/// <summary><c>GET /v1/cluster</c>: the silos of the cluster, from Orleans management.</summary>
internal static partial class ClusterEndpoints
{
    private const double BytesPerMiB = 1024 * 1024;

    /// <summary>Maps the routes of this group.</summary>
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cluster", GetClusterAsync)
            .WithTags("Cluster")
            .WithName("GetCluster")
            .WithSummary("Every silo that is not dead: name, address, Orleans status, activations, CPU, memory, XMPP presence; and the gateways and agents the silos see over XMPP.")
            .Produces<ClusterResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRole(Role.Operator);
        return app;
    }

    private static async Task<ClusterResponse> GetClusterAsync(
        ActorsCluster cluster, IOptions<GatewayOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ClusterEndpoints));
        var management = cluster.Management();
        var hosts = await management.GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);
        var live = hosts
            .Where(host => host.Status is not (SiloStatus.Dead or SiloStatus.None))
            .OrderBy(host => host.SiloName, StringComparer.Ordinal)
            .ToList();
        var timeout = options.Value.ReadinessTimeout;
        var reports = await TryGetXmppPresenceAsync(cluster, timeout, logger);
        var presence = reports.ToDictionary(r => r.SiloAddress, r => new XmppPresence(r.Jid, r.Show, r.Status), StringComparer.Ordinal);
        var silos = await Task.WhenAll(live.Select(async host =>
        {
            var statistics = host.Status == SiloStatus.Active ? await TryGetStatisticsAsync(management, host.SiloAddress, timeout, logger) : null;
            var environment = statistics?.EnvironmentStatistics;
            return new SiloInfo(
                host.SiloName,
                host.SiloAddress.ToParsableString(),
                host.Status.ToString(),
                statistics?.ActivationCount,
                environment is { } cpu ? Math.Round(cpu.FilteredCpuUsagePercentage, 1) : null,
                environment is { } memory ? Math.Round(memory.FilteredMemoryUsageBytes / BytesPerMiB, 1) : null,
                presence.TryGetValue(host.SiloAddress.ToString(), out var xmpp) ? xmpp : null);
        }));
        return new ClusterResponse(silos, NodesOfKind(reports, "gateway"), NodesOfKind(reports, "agent"));
    }

    /// <summary>
    /// The gateways or agents any silo sees, each once (by JID), as the most recent report shows it: silos that see
    /// the same node agree, and one that lost its XMPP session reports none until it is back.
    /// </summary>
    private static List<NodeInfo> NodesOfKind(IEnumerable<SiloXmppPresence> reports, string kind) =>
    [
        .. reports.OrderByDescending(r => r.ReportedAtUtc)
            .SelectMany(r => r.Nodes ?? [])
            .Where(n => n.Kind == kind)
            .DistinctBy(n => n.Jid, StringComparer.Ordinal)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new NodeInfo(n.Name, n.Jid, n.Show, n.Status, n.Url)),
    ];

    /// <summary>
    /// Each silo's XMPP JID and presence as its bridge last reported it, with the gateways and agents it sees; empty when no silo runs the
    /// bridge or the registry does not answer in time (the rest of the answer must not wait for it).
    /// </summary>
    private static async Task<IReadOnlyList<SiloXmppPresence>> TryGetXmppPresenceAsync(ActorsCluster cluster, TimeSpan timeout, ILogger logger)
    {
        try
        {
            return await cluster.PresenceRegistry().GetAllAsync().WaitAsync(timeout);
        }
        catch (Exception exception) when (ClusterFailures.IsUnavailable(exception))
        {
            LogStatisticsUnavailable(logger, "(xmpp presence registry)", exception.GetType().Name, exception.Message);
            return [];
        }
    }

    /// <summary>One silo's statistics, or null when it does not answer in time: one slow silo must not fail the whole list.</summary>
    private static async Task<SiloRuntimeStatistics?> TryGetStatisticsAsync(IManagementGrain management, SiloAddress silo, TimeSpan timeout, ILogger logger)
    {
        try
        {
            var statistics = await management.GetRuntimeStatistics([silo]).WaitAsync(timeout);
            return statistics.Length == 1 ? statistics[0] : null;
        }
        catch (Exception exception) when (ClusterFailures.IsUnavailable(exception))
        {
            LogStatisticsUnavailable(logger, silo.ToParsableString(), exception.GetType().Name, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics of silo {Silo} unavailable: {ExceptionType}: {Reason}")]
    private static partial void LogStatisticsUnavailable(ILogger logger, string silo, string exceptionType, string reason);
}
