using System.Globalization;
using Actors.Gateway.Cluster;
using Actors.Gateway.Options;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Xmpp;

/// <summary>
/// Makes the gateway a Jabber client (DESIGN §9): presence <c>available</c> with the <c>&lt;gateway/&gt;</c> payload while
/// its cluster client is connected and the cluster has an active silo (the readiness check), <c>dnd</c> with the reason
/// when not. Sampled every <see cref="GatewayXmppOptions.Interval"/>, published only when readiness changed or the
/// request rate moved meaningfully. Watchers subscribe as they do to a silo or the agent; logging in, approving them
/// and going unavailable on stop are the agent's too (<see cref="NodePresenceClient"/>).
/// </summary>
internal sealed partial class GatewayXmppService : BackgroundService
{
    private readonly GatewayXmppOptions _options;
    private readonly ClusterHealthCheck _ready;
    private readonly ILogger _logger;
    private readonly Jid _jid;
    private readonly string _name;
    private readonly NodePresenceClient _presence;
    private (PresenceShow Show, string Status, GatewayPayload Payload)? _published;

    public GatewayXmppService(IOptions<GatewayXmppOptions> options, ActorsCluster cluster, IOptions<GatewayOptions> gateway, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _ready = new ClusterHealthCheck(cluster, gateway);
        _logger = loggerFactory.CreateLogger<GatewayXmppService>();
        _name = string.IsNullOrWhiteSpace(_options.Name) ? Environment.MachineName : _options.Name;
        _jid = NodePresenceClient.JidOf(_options, _name, fallbackResource: "gateway");
        var roles = new RoleSet(_options.Watchers, [], [], [], _jid.Domain);
        _presence = new NodePresenceClient(_options, _jid, $"Actors gateway {_name}", roles, loggerFactory);
    }

    /// <summary>The full JID the gateway logs in with.</summary>
    public Jid Jid => _jid;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Sends unavailable and closes the stream, bounded by the client's ShutdownTimeout.
        await _presence.DisposeAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _presence.ConnectWithRetryAsync(stoppingToken).ConfigureAwait(false);
            var lastTotal = GatewayRequestRate.Total;
            var lastAt = DateTime.UtcNow;
            while (!stoppingToken.IsCancellationRequested)
            {
                var health = await _ready.CheckHealthAsync(new HealthCheckContext(), stoppingToken).ConfigureAwait(false);
                var now = DateTime.UtcNow;
                var total = GatewayRequestRate.Total;
                var seconds = Math.Max((now - lastAt).TotalSeconds, 0.001);
                var rps = (int)Math.Round((total - lastTotal) / seconds);
                (lastTotal, lastAt) = (total, now);
                var payload = new GatewayPayload(_name, _options.Url ?? "", rps);
                var current = health.Status == HealthStatus.Healthy
                    ? (PresenceShow.None, string.Create(CultureInfo.InvariantCulture, $"ready · {health.Description?.TrimEnd('.')} · {rps} req/s"), payload)
                    : (PresenceShow.Dnd, $"not ready: {health.Description}", payload);
                if (Changed(_published, current))
                {
                    await PublishAsync(current, stoppingToken).ConfigureAwait(false);
                }

                await Task.Delay(_options.Interval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A new show or status reason, or a request rate that moved by more than a fifth (and by more than 1).</summary>
    internal static bool Changed((PresenceShow Show, string Status, GatewayPayload Payload)? published, (PresenceShow Show, string Status, GatewayPayload Payload) current)
    {
        if (published is not { } last)
        {
            return true;
        }

        if (last.Show != current.Show || last.Payload with { RequestsPerSecond = 0 } != current.Payload with { RequestsPerSecond = 0 })
        {
            return true;
        }

        if (current.Show != PresenceShow.None && last.Status != current.Status)
        {
            return true;
        }

        var delta = Math.Abs(current.Payload.RequestsPerSecond - last.Payload.RequestsPerSecond);
        return delta > 1 && delta * 5 > Math.Max(last.Payload.RequestsPerSecond, 1);
    }

    private async Task PublishAsync((PresenceShow Show, string Status, GatewayPayload Payload) presence, CancellationToken cancellationToken)
    {
        if (await _presence.PublishAsync(presence.Show, presence.Status, presence.Payload.ToElement(), cancellationToken).ConfigureAwait(false))
        {
            _published = presence;
            LogPresencePublished(_logger, NodePresenceClient.ShowText(presence.Show), presence.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway presence {Show}: {Status}")]
    private static partial void LogPresencePublished(ILogger logger, string show, string status);
}
