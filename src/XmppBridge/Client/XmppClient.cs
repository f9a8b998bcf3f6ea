using System.Collections.Concurrent;
using System.Diagnostics;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.StreamManagement;
using Actors.XmppBridge.Client.Xml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.XmppBridge.Client;

/// <summary>
/// An XMPP client (RFC 6120/6121) with STARTTLS, SCRAM, XEP-0198 stream management, XEP-0199 keep-alive,
/// XEP-0030 disco#info, and automatic reconnection with exponential backoff and jitter.
/// </summary>
/// <remarks>
/// <para>Call <see cref="ConnectAsync"/> once; after that the client keeps the session alive on its own:
/// a dropped connection is resumed within <see cref="XmppClientOptions.ResumptionWindow"/> (nothing lost,
/// presence kept) or replaced by a fresh session on which unacknowledged messages and the last presence
/// set with <see cref="SetPresenceAsync"/> are sent again, while IQs still waiting for a response fail with
/// <see cref="XmppSessionLostException"/>. While reconnecting, sends are queued up to
/// <see cref="XmppClientOptions.MaxQueuedStanzas"/>. <see cref="DisposeAsync"/> shuts down cleanly.</para>
/// <para>Events are raised on the client's read loop, one at a time and in stream order: handlers must
/// return quickly and hand long work off (e.g. to a channel); an exception in a handler is logged and ignored.</para>
/// <para>The creator owns the client and must dispose it.</para>
/// </remarks>
public sealed partial class XmppClient : IAsyncDisposable
{
    private static readonly XNamespace SmNs = XmppNamespaces.StreamManagement;

    private readonly XmppClientOptions _options;
    private readonly IReadOnlyList<XmppServerEndpoint> _servers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, PendingIq> _pendingIqs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<Iq, CancellationToken, Task<Iq>>> _iqHandlers = new(StringComparer.Ordinal);
    private readonly StreamManagementState _sm = new();
    private readonly List<string> _extraDiscoFeatures = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly object _stateLock = new();
    private XmppConnection? _connection;
    private Task? _supervisor;
    private Presence? _presence;
    private XmppConnectionState _state;
    private long _lastReceivedTimestamp;
    private long _sessionEpoch;
    private int _serverIndex;
    private volatile bool _stopping;
    private int _disposed;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options lack a JID local part or a password.</exception>
    public XmppClient(XmppClientOptions options, ILogger<XmppClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Jid.Local is null)
        {
            throw new ArgumentException($"{nameof(XmppClientOptions)}.{nameof(XmppClientOptions.Jid)} must have a local part (user@domain).", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            throw new ArgumentException($"{nameof(XmppClientOptions)}.{nameof(XmppClientOptions.Password)} is required.", nameof(options));
        }

        if (options.MaxOutboundStanzaBytes < 1024)
        {
            throw new ArgumentException($"{nameof(XmppClientOptions)}.{nameof(XmppClientOptions.MaxOutboundStanzaBytes)} must be at least 1024.", nameof(options));
        }

        if (options.MaxQueuedStanzas < 1)
        {
            throw new ArgumentException($"{nameof(XmppClientOptions)}.{nameof(XmppClientOptions.MaxQueuedStanzas)} must be at least 1.", nameof(options));
        }

        _options = options;
        _servers = options.ResolveServers();
        _serverIndex = FirstServerIndex(options.Jid, _servers.Count);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        RegisterBuiltInHandlers();
    }

    /// <summary>Raised when the connection state changes (on the client's background loop).</summary>
    public event EventHandler<XmppConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>Raised for every incoming message, including receipts and errors.</summary>
    public event EventHandler<Message>? MessageReceived;

    /// <summary>Raised for incoming presence other than subscription requests (available, unavailable, subscribed, …).</summary>
    public event EventHandler<Presence>? PresenceReceived;

    /// <summary>
    /// Raised for an incoming subscription request (<c>type="subscribe"</c>); answer with
    /// <see cref="ApproveSubscriptionAsync"/> or <see cref="DenySubscriptionAsync"/> (RFC 6121 §3.1.3).
    /// </summary>
    public event EventHandler<Presence>? SubscriptionRequested;

    /// <summary>The current lifecycle state.</summary>
    public XmppConnectionState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>The server of the current session, or the one being tried while (re)connecting.</summary>
    public XmppServerEndpoint CurrentServer => _servers[Volatile.Read(ref _serverIndex)];

    /// <summary>The full JID the server bound for this session, or null before the first session.</summary>
    public Jid? BoundJid { get; private set; }

    /// <summary>True when XEP-0198 is active on the current session.</summary>
    public bool IsStreamManagementEnabled
    {
        get
        {
            lock (_sm)
            {
                return _sm.Enabled;
            }
        }
    }

    /// <summary>Test hook: the stream management state.</summary>
    internal StreamManagementState StreamManagementForTest => _sm;

    /// <summary>
    /// Connects, negotiates TLS and SASL, binds a resource and enables stream management. Returns once the
    /// session is established; from then on the client reconnects by itself until disposed.
    /// </summary>
    /// <exception cref="XmppAuthenticationException">The server refused the credentials.</exception>
    /// <exception cref="XmppException">The connection or negotiation failed.</exception>
    /// <exception cref="InvalidOperationException">The client was already connected.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_stateLock)
        {
            if (_state != XmppConnectionState.Disconnected || _supervisor is not null)
            {
                throw new InvalidOperationException("The client is already connected or connecting; create a new client to connect again.");
            }

            _state = XmppConnectionState.Connecting;
        }

        RaiseStateChanged(XmppConnectionState.Connecting, resumed: false, error: null);
        try
        {
            // Each server once, from the one this JID hashes to; the first that takes us wins. Credentials are the
            // same on every node of a cluster, so a refused login is final.
            for (var tried = 1; ; tried++)
            {
                try
                {
                    await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (_servers.Count > 1 && ex is not XmppAuthenticationException && !cancellationToken.IsCancellationRequested)
                {
                    _logger.LogServerFailed(ex, CurrentServer.ToString());
                    if (tried == _servers.Count)
                    {
                        throw new XmppException($"None of the {_servers.Count} XMPP servers ({string.Join(", ", _servers)}) took the connection; the last error: {ex.Message}", ex);
                    }

                    NextServer();
                }
            }
        }
        catch (Exception ex)
        {
            SetState(XmppConnectionState.Disconnected, resumed: false, ex);
            throw;
        }

        SetState(XmppConnectionState.Connected, resumed: false, error: null);
        _supervisor = Task.Run(() => SuperviseAsync(_lifetime.Token), CancellationToken.None);
    }

    /// <summary>
    /// Sends a stanza. With stream management active the stanza is queued until the server acknowledges it,
    /// so a stanza sent while the client is reconnecting is delivered once the session is back.
    /// </summary>
    /// <exception cref="XmppSendQueueFullException">Reconnecting, with <see cref="XmppClientOptions.MaxQueuedStanzas"/> already held.</exception>
    /// <exception cref="XmppException">Not connected and no stream management session to queue on.</exception>
    public Task SendAsync(Stanza stanza, CancellationToken cancellationToken = default) => SendCoreAsync(stanza, pendingIq: null, cancellationToken);

    /// <summary>
    /// Sends an IQ request and waits for its result, correlated by id (one is generated when missing).
    /// Waits at most <see cref="XmppClientOptions.IqTimeout"/>; cancel earlier with <paramref name="cancellationToken"/>.
    /// </summary>
    /// <returns>The <c>type="result"</c> response.</returns>
    /// <exception cref="XmppStanzaException">The responder answered with an error.</exception>
    /// <exception cref="TimeoutException">No response within the timeout.</exception>
    /// <exception cref="XmppSessionLostException">The connection dropped and the server refused resumption, so no response can arrive.</exception>
    public async Task<Iq> SendIqAsync(Iq request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsRequest)
        {
            throw new ArgumentException("Only get and set IQs expect a response; send results with SendAsync.", nameof(request));
        }

        return await SendIqCoreAsync(request, _options.IqTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers incoming IQ get/set requests whose payload is in <paramref name="payloadNamespace"/>. The handler
    /// returns the response, usually <see cref="Iq.CreateResult"/> or <see cref="Iq.CreateError"/>; if it throws, the
    /// requester gets <c>internal-server-error</c>. Requests nobody handles get <c>service-unavailable</c> (RFC 6120 §8.4).
    /// </summary>
    /// <exception cref="InvalidOperationException">A handler is already registered for the namespace.</exception>
    public void RegisterIqHandler(string payloadNamespace, Func<Iq, CancellationToken, Task<Iq>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadNamespace);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_iqHandlers.TryAdd(payloadNamespace, handler))
        {
            throw new InvalidOperationException($"An IQ handler for '{payloadNamespace}' is already registered.");
        }
    }

    /// <summary>
    /// Answers XEP-0030 disco#info requests that name a node (the built-in handler answers the entity itself); returns
    /// null for a node it does not know, which is then <c>item-not-found</c>. Set before connecting.
    /// </summary>
    internal Func<Iq, Iq?>? DiscoNodeInfo { get; set; }

    /// <summary>Adds a feature to disco#info besides <see cref="XmppClientOptions.DiscoFeatures"/> (for a component such as ad-hoc commands).</summary>
    internal void AddDiscoFeature(string feature)
    {
        lock (_extraDiscoFeatures)
        {
            if (!_extraDiscoFeatures.Contains(feature, StringComparer.Ordinal))
            {
                _extraDiscoFeatures.Add(feature);
            }
        }
    }

    private string[] ExtraDiscoFeatures
    {
        get
        {
            lock (_extraDiscoFeatures)
            {
                return [.. _extraDiscoFeatures];
            }
        }
    }

    /// <summary>Removes the handler for <paramref name="payloadNamespace"/>; returns false when there was none.</summary>
    public bool UnregisterIqHandler(string payloadNamespace) => _iqHandlers.TryRemove(payloadNamespace, out _);

    /// <summary>
    /// Publishes available presence (RFC 6121 §4.2) and remembers it, so it is published again after a fresh
    /// session. <paramref name="extension"/> is an optional payload element (e.g. the silo's status element).
    /// </summary>
    public Task SetPresenceAsync(PresenceShow show = PresenceShow.None, string? status = null, XElement? extension = null, CancellationToken cancellationToken = default)
    {
        var presence = new Presence { Show = show, Status = status };
        if (extension is not null)
        {
            presence.Element.Add(new XElement(extension));
        }

        Volatile.Write(ref _presence, presence);
        return SendAsync(presence, cancellationToken);
    }

    /// <summary>Asks to see <paramref name="contact"/>'s presence (RFC 6121 §3.1.1).</summary>
    public Task SubscribeAsync(Jid contact, CancellationToken cancellationToken = default) =>
        SendAsync(new Presence(PresenceType.Subscribe, contact.Bare), cancellationToken);

    /// <summary>Approves a subscription request from <paramref name="contact"/> (RFC 6121 §3.1.4).</summary>
    public Task ApproveSubscriptionAsync(Jid contact, CancellationToken cancellationToken = default) =>
        SendAsync(new Presence(PresenceType.Subscribed, contact.Bare), cancellationToken);

    /// <summary>Denies a subscription request from <paramref name="contact"/>, or cancels an approved one (RFC 6121 §3.1.4, §3.2).</summary>
    public Task DenySubscriptionAsync(Jid contact, CancellationToken cancellationToken = default) =>
        SendAsync(new Presence(PresenceType.Unsubscribed, contact.Bare), cancellationToken);

    /// <summary>Fetches the roster (RFC 6121 §2.1.3).</summary>
    public async Task<IReadOnlyList<RosterItem>> GetRosterAsync(CancellationToken cancellationToken = default)
    {
        XNamespace ns = XmppNamespaces.Roster;
        var result = await SendIqAsync(new Iq(IqType.Get, new XElement(ns + "query")), cancellationToken).ConfigureAwait(false);
        var items = new List<RosterItem>();
        foreach (var item in result.Payload?.Elements(ns + "item") ?? [])
        {
            if (Jid.TryParse((string?)item.Attribute("jid"), out var jid))
            {
                items.Add(new RosterItem(jid, (string?)item.Attribute("name"), (string?)item.Attribute("subscription") ?? "none",
                    (string?)item.Attribute("ask") == "subscribe", [.. item.Elements(ns + "group").Select(g => g.Value)]));
            }
        }

        return items;
    }

    /// <summary>Sends an XEP-0199 ping (to the server when <paramref name="to"/> is null) and returns the round-trip time.</summary>
    /// <exception cref="XmppStanzaException">The entity answered with an error (e.g. it does not support ping).</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="XmppClientOptions.IqTimeout"/>.</exception>
    public async Task<TimeSpan> PingAsync(Jid? to = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("ping", XmppNamespaces.Ping)), to), cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Shuts down cleanly: unavailable presence, <c>&lt;/stream:stream&gt;</c>, then waits at most
    /// <see cref="XmppClientOptions.ShutdownTimeout"/> for the server to close before dropping the socket.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            if (_state is XmppConnectionState.Disconnected or XmppConnectionState.Disconnecting)
            {
                return;
            }
        }

        _stopping = true;
        SetState(XmppConnectionState.Disconnecting, resumed: false, error: null);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_options.ShutdownTimeout);
        var connection = Volatile.Read(ref _connection);
        if (connection is not null)
        {
            try
            {
                // Counted like any stanza, so the server's final <a h/> matches our count.
                var goodbye = XmlStanzaWriter.ToXml(new Presence(PresenceType.Unavailable).Element);
                await SendStanzaXmlAsync(new OutboundStanza(goodbye, IsMessage: false), bounded.Token).ConfigureAwait(false);
                await connection.WriteAsync(AckXml(), bounded.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is XmppException or OperationCanceledException)
            {
            }

            await connection.CloseAsync(_options.ShutdownTimeout, bounded.Token).ConfigureAwait(false);
        }

        if (_supervisor is { } supervisor)
        {
            try
            {
                // The read loop ends when the server answers </stream:stream>; do not wait longer than allowed.
                await supervisor.WaitAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        connection?.Abort();
        if (_supervisor is { } stopped)
        {
            await stopped.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _connection, null);
        FailPendingIqs(new XmppException("The client disconnected."));
        _logger.LogDisconnected();
        SetState(XmppConnectionState.Disconnected, resumed: false, error: null);
    }

    /// <summary>Disconnects cleanly (bounded by <see cref="XmppClientOptions.ShutdownTimeout"/>) and releases resources.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
        if (!_lifetime.IsCancellationRequested)
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }

        _lifetime.Dispose();
        _sendLock.Dispose();
    }

    /// <summary>Test hook: drops the TCP connection without any closing handshake, as a network failure would.</summary>
    internal void DropConnectionForTest() => Volatile.Read(ref _connection)?.Abort();

    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Where a client starts in a list of <paramref name="count"/> servers: a stable hash of its full JID, so that silos
    /// sharing an account (different resources) spread over the servers, and a restarted process returns to the same one.
    /// </summary>
    internal static int FirstServerIndex(Jid jid, int count) =>
        count <= 1 ? 0 : (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(jid.ToString())) % (uint)count);

    /// <summary>Moves to the next server in the list (round robin); the caller tries it next.</summary>
    private void NextServer()
    {
        if (_servers.Count > 1)
        {
            Volatile.Write(ref _serverIndex, (_serverIndex + 1) % _servers.Count);
        }
    }

    /// <summary>One attempt at <see cref="CurrentServer"/>, bounded by <see cref="XmppClientOptions.ConnectTimeout"/>.</summary>
    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await EstablishAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new XmppException($"Connecting to {CurrentServer} timed out after {_options.ConnectTimeout}.", ex);
        }
    }

    private string AckXml()
    {
        lock (_sm)
        {
            return _sm.Enabled ? $"<a xmlns='urn:xmpp:sm:3' h='{_sm.Inbound}'/>" : string.Empty;
        }
    }

    private void SetState(XmppConnectionState state, bool resumed, Exception? error)
    {
        lock (_stateLock)
        {
            if (_state == state && state != XmppConnectionState.Connected)
            {
                return;
            }

            _state = state;
        }

        RaiseStateChanged(state, resumed, error);
    }

    private void RaiseStateChanged(XmppConnectionState state, bool resumed, Exception? error) =>
        Raise(StateChanged, new XmppConnectionStateChangedEventArgs(state, resumed, error));

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
        catch (Exception ex)
        {
            _logger.LogEventHandlerFailed(ex);
        }
    }

    /// <summary>An IQ waiting for its response.</summary>
    private sealed class PendingIq(Jid? to)
    {
        public const long NotSent = -1;

        public TaskCompletionSource<Iq> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Jid? To { get; } = to;

        /// <summary>The session (see <c>_sessionEpoch</c>) the request was written or queued on; set under the send lock.</summary>
        public long SessionEpoch { get; set; } = NotSent;
    }
}
