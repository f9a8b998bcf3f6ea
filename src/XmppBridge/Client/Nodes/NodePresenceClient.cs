using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Actors.Contracts.Hosting;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Client.Nodes;

/// <summary>
/// The Jabber session of a node that is not a silo — a machine agent or an HTTP gateway (DESIGN §9): logs in with
/// retry, approves presence subscriptions from watchers and denies the rest, publishes the node's presence, and goes
/// unavailable when disposed. What the node publishes and when, and anything else it does over XMPP (the agent's chat
/// commands), stay with the node's own service.
/// </summary>
/// <remarks>
/// Owns the <see cref="XmppClient"/> it connects: <see cref="DisposeAsync"/> disposes it, which sends
/// <c>unavailable</c> and closes the stream (bounded by the client's <c>ShutdownTimeout</c>). Once connected the client
/// reconnects by itself; only the first connection is retried here, because the XMPP server may be a process the node
/// (an agent) is still starting.
/// </remarks>
internal sealed partial class NodePresenceClient : IAsyncDisposable
{
    private readonly NodeXmppOptions _options;
    private readonly string _identity;
    private readonly RoleSet _roles;
    private readonly Action<XmppClient>? _configure;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private volatile XmppClient? _client;

    /// <summary>
    /// A client that logs in as <paramref name="jid"/> with <paramref name="options"/>' connection settings and approves
    /// the subscriptions of whom <paramref name="roles"/> makes a <see cref="BridgeRoles.Watcher"/>.
    /// </summary>
    /// <param name="options">The connection settings; read again on each login attempt.</param>
    /// <param name="jid">The full JID to log in with (<see cref="JidOf"/>).</param>
    /// <param name="identity">The service discovery identity name (XEP-0030), e.g. <c>Actors gateway gw-1</c>; log lines name the node by it.</param>
    /// <param name="roles">Who may watch: the node's role lists.</param>
    /// <param name="loggerFactory">For this class's log category and the client's.</param>
    /// <param name="configure">Runs on each new <see cref="XmppClient"/> before it connects, to attach the node's own handlers.</param>
    public NodePresenceClient(NodeXmppOptions options, Jid jid, string identity, RoleSet roles, ILoggerFactory loggerFactory, Action<XmppClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jid);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        Jid = jid;
        _identity = identity;
        _roles = roles;
        _configure = configure;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<NodePresenceClient>();
    }

    /// <summary>The full JID the node logs in with.</summary>
    public Jid Jid { get; }

    /// <summary>The connected client; null until <see cref="ConnectWithRetryAsync"/> returned.</summary>
    public XmppClient? Client => _client;

    /// <summary>
    /// The node's full JID: the bare JID of <paramref name="options"/>' <c>Jid</c> with <paramref name="name"/> as the
    /// resource (<see cref="ResourceOf"/>).
    /// </summary>
    public static Jid JidOf(NodeXmppOptions options, string name, string fallbackResource)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Jid.Parse(options.Jid!).Bare.WithResource(ResourceOf(name, fallbackResource));
    }

    /// <summary>
    /// <paramref name="name"/> (a machine's or gateway's name) as an XMPP resource: letters, digits, <c>-</c>, <c>_</c>
    /// and <c>.</c> kept, everything else dropped; <paramref name="fallback"/> when nothing is left.
    /// </summary>
    public static string ResourceOf(string name, string fallback)
    {
        ArgumentNullException.ThrowIfNull(name);
        var cleaned = new string([.. name.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.')]);
        return cleaned.Length == 0 ? fallback : cleaned;
    }

    /// <summary>The client settings for <paramref name="options"/>: reads the trusted certificate's PEM file if one is named.</summary>
    public static XmppClientOptions ClientOptions(NodeXmppOptions options, Jid jid, string identity)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new XmppClientOptions
        {
            Jid = jid,
            Password = options.Password!,
            Host = options.Host,
            Port = options.Port,
            AllowPlaintextOnLoopback = options.AllowPlaintextOnLoopback,
            TrustedCertificate = string.IsNullOrEmpty(options.TrustedCertificatePath)
                ? null
                : X509Certificate2.CreateFromPem(File.ReadAllText(options.TrustedCertificatePath)),
            DiscoIdentityName = identity,
        };
        foreach (var server in options.Servers)
        {
            clientOptions.Servers.Add(XmppServerEndpoint.Parse(server));
        }

        clientOptions.DiscoFeatures.Add(ActorsXml.Namespace);
        return clientOptions;
    }

    /// <summary>
    /// Logs in, retrying every 0.5 s up to every 5 s (an XMPP server restarting, or not started yet) until
    /// <paramref name="cancellationToken"/> is cancelled; a client whose login failed is disposed.
    /// </summary>
    public async Task<XmppClient> ConnectWithRetryAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var client = CreateClient();
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                LogOnline(_logger, _identity, (client.BoundJid ?? Jid).ToString());
                _client = client;
                return client;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                var delay = Backoff.Delay(attempt, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
                LogConnectFailed(_logger, _identity, Jid.ToString(), attempt, ex.Message, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Sets the node's presence; false when it could not be sent now (not connected: the client republishes its last
    /// presence on its next session, and the caller tries again on its next change).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not connected yet (<see cref="ConnectWithRetryAsync"/>).</exception>
    public async Task<bool> PublishAsync(PresenceShow show, string status, XElement payload, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("Publish presence after ConnectWithRetryAsync.");
        try
        {
            await client.SetPresenceAsync(show, status, payload, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is XmppException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogPresenceFailed(_logger, ex, _identity);
            return false;
        }
    }

    /// <summary>Disposes the client, which sends <c>unavailable</c> and closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><c>available</c>, <c>away</c>, <c>dnd</c> …: <paramref name="show"/> as presence shows it, for log lines.</summary>
    public static string ShowText(PresenceShow show) => show == PresenceShow.None ? "available" : show.ToString().ToLowerInvariant();

    private XmppClient CreateClient()
    {
        var client = new XmppClient(ClientOptions(_options, Jid, _identity), _loggerFactory.CreateLogger<XmppClient>());
        _configure?.Invoke(client);
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
                LogSubscriptionReplyFailed(_logger, ex, _identity, from.ToString());
            }
        }, CancellationToken.None);
    }

    // Method names are event names: do not rename them.
    [LoggerMessage(1, LogLevel.Information, "{Node} online over XMPP as {Jid}.")]
    private static partial void LogOnline(ILogger logger, string node, string jid);

    [LoggerMessage(2, LogLevel.Warning, "{Node} could not log in to XMPP as {Jid} (attempt {Attempt}: {Error}); next try in {Delay}.")]
    private static partial void LogConnectFailed(ILogger logger, string node, string jid, int attempt, string error, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Information, "{Node} could not publish its presence; it is sent again on the next change.")]
    private static partial void LogPresenceFailed(ILogger logger, Exception exception, string node);

    [LoggerMessage(4, LogLevel.Information, "{Node} could not answer the presence subscription request of {From}.")]
    private static partial void LogSubscriptionReplyFailed(ILogger logger, Exception exception, string node, string from);
}
