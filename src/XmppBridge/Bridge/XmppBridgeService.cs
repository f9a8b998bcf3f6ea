using System.Reflection;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Actors.Contracts.Hosting;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.AdHoc;
using Actors.XmppBridge.Client.Diagnostics;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Makes this silo a Jabber client (docs/xmpp-bridge.md): logs in, publishes health as presence, turns write stanzas into
/// idempotent grain calls with receipts after durability, answers reads and chat commands.
/// </summary>
/// <remarks>
/// <para>Lifecycle: connecting starts in the background at <see cref="ServiceLifecycleStage.RuntimeInitialize"/> (an
/// unreachable XMPP server never blocks the silo), presence is <c>away</c> until the silo is Active, <c>away</c>
/// again as soon as it starts stopping (writes then get a <c>wait</c> error), and <c>unavailable</c> once grains are
/// gone, at the end of the stop.</para>
/// <para>Stanzas arrive on the XMPP client's read loop and are handed to a <see cref="KeyedScheduler"/> keyed by root
/// (writes) or sender (chat): writes to one root are applied one at a time in the order they arrived, so one sender's
/// writes to a root apply in the order sent, while writes to different roots never wait for each other.</para>
/// </remarks>
internal sealed partial class XmppBridgeService : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>Stanzas queued or being handled at once before new ones are refused as overloaded (the old 16 lanes × 1,024).</summary>
    private const int MaxPendingStanzas = 16 * 1024;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AdHocSessionLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long a drain waits for the host to finish starting before it stops it anyway.</summary>
    private static readonly TimeSpan DrainStartWait = TimeSpan.FromSeconds(60);

    private readonly XmppBridgeOptions _options;
    private readonly SenderShares _shares;
    private readonly SemaphoreSlim _iqSlots;
    private readonly RoleSet _roles;
    private readonly SiloHealthMonitor _monitor;
    private readonly IGrainFactory _grains;
    private readonly IClusterMembershipService _membership;
    private readonly ILocalSiloDetails _silo;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Jid _bareJid;
    private readonly string _resource;
    private readonly string _version;
    private readonly TrustedAccounts _siloJids;
    private readonly SiloDirectory _directory;
    private readonly TrustedAccounts _nodeJids;
    private readonly NodeDirectory _nodes;
    private readonly PeerCrashHint? _crashHint;
    private readonly StalePresenceRepair? _stalePresence;
    private readonly KeyedScheduler _scheduler;
    private readonly WritePipeline _writes;
    private readonly ChatCommand[] _chatCommands;
    private readonly AdHocResponder _adHoc;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0);
    private volatile XmppClient? _client;
    private Task? _run;
    private int _stopped;

    public XmppBridgeService(
        IOptions<XmppBridgeOptions> options,
        SiloHealthMonitor monitor,
        IGrainFactory grains,
        IClusterMembershipService membership,
        ILocalSiloDetails silo,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _bareJid = Jid.Parse(_options.Jid!).Bare;
        _roles = _options.Roles(_bareJid.Domain);
        _monitor = monitor;
        _grains = grains;
        _membership = membership;
        _silo = silo;
        _lifetime = lifetime;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<XmppBridgeService>();
        _resource = string.IsNullOrWhiteSpace(_options.Resource) ? silo.Name : _options.Resource;
        _siloJids = TrustedAccounts.TryCreate(_options.Silos, _bareJid, "silo", out var siloJids, out var siloJidsError)
            ? siloJids
            : throw new ArgumentException($"{XmppBridgeOptions.SectionName}:{nameof(XmppBridgeOptions.Silos)}: {siloJidsError}.", nameof(options));
        _directory = new SiloDirectory(_bareJid, _siloJids);
        _nodeJids = TrustedAccounts.TryCreate(_options.Nodes, own: null, "gateway", out var nodeJids, out var nodeJidsError)
            ? nodeJids
            : throw new ArgumentException($"{XmppBridgeOptions.SectionName}:{nameof(XmppBridgeOptions.Nodes)}: {nodeJidsError}.", nameof(options));
        _nodes = new NodeDirectory(jid => _siloJids.Contains(jid) || _nodeJids.Contains(jid));
        // A gateway or agent appearing or leaving reaches /v1/cluster with the next registry report, within a second.
        _nodes.Changed += (_, _) => RequestRegistryReport();
        _writes = new WritePipeline(_options, _roles, monitor, grains, _logger);
        _chatCommands = CreateChatCommands();
        // XEP-0050: the chat commands marked for it, run through the same executor (role check, staleness, handler).
        _adHoc = new AdHocResponder(_chatCommands, _roles.Resolve, RunAdHocAsync,
            new AdHocSessionStore(AdHocSessionLifetime, maxPerRequester: 8, maxTotal: 1024));
        _scheduler = new KeyedScheduler(MaxPendingStanzas, ex => BridgeLog.LogRequestFailed(_logger, ex, "(scheduler)"));
        _shares = new SenderShares(_options.MaxPendingPerSender, _options.MaxPendingBytesPerSender);
        _iqSlots = new SemaphoreSlim(_options.MaxConcurrentIqs, _options.MaxConcurrentIqs);
        _crashHint = _options.CrashHints
            ? new PeerCrashHint(membership, () => silo.SiloAddress, _siloJids, loggerFactory.CreateLogger<PeerCrashHint>(), _options.CrashHintConnectTimeout)
            : null;
        _stalePresence = _options.AdminApiUrls.Count == 0
            ? null
            : new StalePresenceRepair([.. _options.AdminApiUrls.Select(u => new Uri(u))], _options.AdminJid, _options.AdminPassword, _logger);
        var informational = typeof(XmppBridgeService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        _version = informational.Split('+')[0];
    }

    /// <summary>The connected client, for tests; null until the first session.</summary>
    internal XmppClient? Client => _client;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(XmppBridgeService), ServiceLifecycleStage.RuntimeInitialize, StartAsync, StopAsync);
        lifecycle.Subscribe(nameof(XmppBridgeService), ServiceLifecycleStage.Active, BecomeActiveAsync, LeaveActiveAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stalePresence?.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        BridgeLog.LogBridgeStarting(_logger, _silo.Name, OptionsFormatter.ForLog(_options));
        _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task BecomeActiveAsync(CancellationToken cancellationToken)
    {
        _monitor.Active = true;
        Wake();
        return Task.CompletedTask;
    }

    private async Task LeaveActiveAsync(CancellationToken cancellationToken)
    {
        // docs/configuration.md: say "away" before Orleans hands grains over, and refuse new writes with a wait error from now on.
        _monitor.Draining = true;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StopTimeout);
        await PublishAsync(_monitor.Current(), bounded.Token).ConfigureAwait(false);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _monitor.Draining = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is { } run)
        {
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Let answers already being computed go out, bounded, before the goodbye.
        await _scheduler.CompleteAsync(StopTimeout).ConfigureAwait(false);
        if (_client is { } client)
        {
            // DisposeAsync sends unavailable presence and closes the stream, bounded by the client's ShutdownTimeout.
            await client.DisposeAsync().ConfigureAwait(false);
            XmppInstruments.PresenceChanges.Add(1, new KeyValuePair<string, object?>("show", "unavailable"));
            BridgeLog.LogBridgeStopped(_logger);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var client = await ConnectWithRetryAsync(cancellationToken).ConfigureAwait(false);
            _client = client;
            var repair = _stalePresence is { } stale ? RepairStalePresenceAsync(stale, cancellationToken) : Task.CompletedTask;
            await NodeSubscriptions.SubscribeAsync(client, _nodeJids, _bareJid, cancellationToken).ConfigureAwait(false);
            try
            {
                await RunPresenceLoopAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await repair.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
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
                var bound = client.BoundJid ?? _bareJid.WithResource(_resource);
                _directory.Register(_silo.Name, bound);
                BridgeLog.LogBridgeOnline(_logger, bound.ToString());
                return client;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                // 1 s doubling to 30 s, with jitter, so silos that lost one XMPP server do not all return at once.
                var delay = Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
                BridgeLog.LogConnectFailed(_logger, ex, attempt, delay);
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
        var clientOptions = new XmppClientOptions
        {
            Jid = _bareJid.WithResource(_resource),
            Password = _options.Password!,
            Host = _options.Host,
            Port = _options.Port,
            // No XEP-0198 resumption for a silo (issue 14): a server keeps a dropped resumable session for its
            // hibernation time (Prosody 600 s by default, ejabberd 300 s) before telling watchers, so a crashed silo would
            // look alive. Nothing here needs resumption: writes are idempotent and retried by their senders, receipts
            // and replies not acknowledged are sent again on the new session, and presence is re-published. So the
            // server ends the session the moment the connection breaks, and watchers see unavailable within milliseconds.
            ResumptionWindow = TimeSpan.Zero,
            AllowPlaintextOnLoopback = _options.AllowPlaintextOnLoopback,
            TrustedCertificate = string.IsNullOrEmpty(_options.TrustedCertificatePath)
                ? null
                : X509Certificate2.CreateFromPem(File.ReadAllText(_options.TrustedCertificatePath)),
            DiscoIdentityName = $"Actors silo {_silo.Name}",
        };
        foreach (var server in _options.Servers)
        {
            clientOptions.Servers.Add(XmppServerEndpoint.Parse(server));
        }

        clientOptions.DiscoFeatures.Add(ActorsXml.Namespace);
        // Queries page with XEP-0059 (docs/queries.md, XMPP).
        clientOptions.DiscoFeatures.Add(ActorsXml.RsmNamespace);
        var client = new XmppClient(clientOptions, _loggerFactory.CreateLogger<XmppClient>());
        client.MessageReceived += OnMessage;
        client.PresenceReceived += OnPresence;
        client.StateChanged += OnStateChanged;
        _nodes.Follow(client);
        client.SubscriptionRequested += OnSubscriptionRequested;
        client.RegisterIqHandler(ActorsXml.Namespace, HandleIqAsync);
        _adHoc.Attach(client);
        return client;
    }

    /// <summary>
    /// The most text or JSON a reply carries: the client's stanza limit less room for the envelope and XML escaping of
    /// ordinary text (the client refuses anything that still ends up too large, and IQ requesters then get
    /// <c>not-acceptable</c> from it).
    /// </summary>
    private const int MaxReplyBytes = XmppClientOptions.DefaultMaxOutboundStanzaBytes - 16 * 1024;

    /// <summary>The UTF-8 size of <paramref name="text"/> when it is over <see cref="MaxReplyBytes"/>, else null.</summary>
    private static long? TooLargeForXmpp(string text) =>
        text.Length > MaxReplyBytes / 3 && Encoding.UTF8.GetByteCount(text) is var size && size > MaxReplyBytes ? size : null;

    /// <summary>
    /// Runs an ad-hoc command's line through the chat executor, within the sender's share and the IQ slots like every
    /// other IQ, so a requester repeating commands cannot take more of the silo than by chat or by IQ.
    /// </summary>
    private async Task<ChatReply> RunAdHocAsync(AdHocRun run)
    {
        if (_shares.TryAdmit(run.From, run.CommandLine.Length + 512L) is not { } lease)
        {
            return $"Refused: {BridgeErrors.ShareUsedUp(run.From, _shares.MaxStanzas, _shares.MaxBytes).Text}";
        }

        using (lease)
        {
            if (!_iqSlots.Wait(0, CancellationToken.None))
            {
                return $"Refused: this silo is handling {_options.MaxConcurrentIqs:N0} IQ requests already (Actors:Xmpp:MaxConcurrentIqs); try again.";
            }

            try
            {
                return await ExecuteChatAsync(run.ToMessage(), run.CommandLine).ConfigureAwait(false);
            }
            finally
            {
                _iqSlots.Release();
            }
        }
    }

    private void Wake() => _wake.Release();

    /// <summary>Queues work behind earlier work of the same <paramref name="key"/>; false when the bridge is overloaded.</summary>
    private bool Enqueue(string key, Func<Task> work) => _scheduler.TryEnqueue(key, work);

    private async Task SendAsync(XmppClient client, Stanza stanza, Jid to)
    {
        try
        {
            await client.SendAsync(stanza, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppException or ObjectDisposedException or OperationCanceledException)
        {
            BridgeLog.LogReplyFailed(_logger, ex, to.ToString());
        }
    }
}
