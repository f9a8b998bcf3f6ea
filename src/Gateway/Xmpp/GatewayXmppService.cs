using Actors.Contracts.Hosting;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Actors.Gateway.Cluster;
using Actors.Gateway.Options;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
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
/// request rate moved meaningfully. Watchers subscribe as they do to a silo or the agent.
/// </summary>
internal sealed partial class GatewayXmppService : BackgroundService
{
    private readonly GatewayXmppOptions _options;
    private readonly ClusterHealthCheck _ready;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Jid _jid;
    private readonly RoleSet _roles;
    private readonly string _name;
    private volatile XmppClient? _client;
    private (PresenceShow Show, string Status, GatewayPayload Payload)? _published;

    public GatewayXmppService(IOptions<GatewayXmppOptions> options, ActorsCluster cluster, IOptions<GatewayOptions> gateway, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _ready = new ClusterHealthCheck(cluster, gateway);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<GatewayXmppService>();
        _name = string.IsNullOrWhiteSpace(_options.Name) ? Environment.MachineName : _options.Name;
        _jid = Jid.Parse(_options.Jid!).Bare.WithResource(ResourceOf(_name));
        _roles = new RoleSet(_options.Watchers, [], [], [], _jid.Domain);
    }

    /// <summary>The full JID the gateway logs in with.</summary>
    public Jid Jid => _jid;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_client is { } client)
        {
            // Sends unavailable and closes the stream, bounded by the client's ShutdownTimeout.
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _client = await ConnectWithRetryAsync(stoppingToken).ConfigureAwait(false);
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
                    ? (PresenceShow.None, string.Create(CultureInfo.InvariantCulture, $"ready · {health.Description} · {rps} req/s"), payload)
                    : (PresenceShow.Dnd, $"not ready: {health.Description}", payload);
                if (Changed(_published, current))
                {
                    await PublishAsync(_client, current, stoppingToken).ConfigureAwait(false);
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

    private async Task PublishAsync(XmppClient client, (PresenceShow Show, string Status, GatewayPayload Payload) presence, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetPresenceAsync(presence.Show, presence.Status, presence.Payload.ToElement(), cancellationToken).ConfigureAwait(false);
            _published = presence;
            LogPresencePublished(_logger, presence.Show == PresenceShow.None ? "available" : presence.Show.ToString().ToLowerInvariant(), presence.Status);
        }
        catch (Exception ex) when (ex is XmppException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Not connected now: the client republishes the last presence on its next session; the loop retries on the next change.
            LogPresenceFailed(_logger, ex);
        }
    }

    private async Task<XmppClient> ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var client = CreateClient();
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                LogOnline(_logger, (client.BoundJid ?? _jid).ToString());
                return client;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                var delay = Backoff.Delay(attempt, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
                LogConnectFailed(_logger, _jid.ToString(), attempt, ex.Message, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private XmppClient CreateClient()
    {
        var options = new XmppClientOptions
        {
            Jid = _jid,
            Password = _options.Password!,
            Host = _options.Host,
            Port = _options.Port,
            AllowPlaintextOnLoopback = _options.AllowPlaintextOnLoopback,
            TrustedCertificate = string.IsNullOrEmpty(_options.TrustedCertificatePath)
                ? null
                : X509Certificate2.CreateFromPem(File.ReadAllText(_options.TrustedCertificatePath)),
            DiscoIdentityName = $"Actors gateway {_name}",
        };
        foreach (var server in _options.Servers)
        {
            options.Servers.Add(XmppServerEndpoint.Parse(server));
        }

        options.DiscoFeatures.Add(ActorsXml.Namespace);
        var client = new XmppClient(options, _loggerFactory.CreateLogger<XmppClient>());
        client.SubscriptionRequested += OnSubscriptionRequested;
        return client;
    }

    private void OnSubscriptionRequested(object? sender, Presence request)
    {
        if (sender is not XmppClient client || request.From is not { } from)
        {
            return;
        }

        var approve = _roles.Resolve(from).HasFlag(BridgeRoles.Watcher);
        _ = Task.Run(async () =>
        {
            try
            {
                await (approve
                    ? client.ApproveSubscriptionAsync(from, CancellationToken.None)
                    : client.DenySubscriptionAsync(from, CancellationToken.None)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is XmppException or ObjectDisposedException or OperationCanceledException)
            {
                LogPresenceFailed(_logger, ex);
            }
        }, CancellationToken.None);
    }

    private static string ResourceOf(string name)
    {
        var cleaned = new string([.. name.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.')]);
        return cleaned.Length == 0 ? "gateway" : cleaned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway online on XMPP as {Jid}")]
    private static partial void LogOnline(ILogger logger, string jid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway could not log in to XMPP as {Jid} (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string jid, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway presence {Show}: {Status}")]
    private static partial void LogPresencePublished(ILogger logger, string show, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway presence or subscription reply not sent")]
    private static partial void LogPresenceFailed(ILogger logger, Exception exception);
}
