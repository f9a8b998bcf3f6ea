using System.Globalization;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.AdHoc;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Agent.Xmpp;

/// <summary>
/// Makes the agent a Jabber client (DESIGN §9, docs/agent.md): its presence is the machine's health — <c>available</c>
/// when every process runs, <c>away</c> while one starts or backs off after a crash, <c>dnd</c> with the reason when
/// one was given up on — with the <c>&lt;agent/&gt;</c> payload; operators command it in chat.
/// </summary>
/// <remarks>
/// Roles are the silo bridge's: one <see cref="RoleSet"/>, the same watcher and operator lists. Logging in, approving
/// watchers' subscriptions and going unavailable on stop are the gateway's too (<see cref="NodePresenceClient"/>); the
/// first connection waits until the supervised processes run (the XMPP server may be one of them).
/// </remarks>
public sealed partial class AgentXmppService : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly AgentXmppOptions _options;
    private readonly ProcessSupervisor _supervisor;
    private readonly ILogger _logger;
    private readonly Jid _jid;
    private readonly RoleSet _roles;
    private readonly MachineStatistics _machine;
    private readonly ChatCommand[] _commands;
    private readonly AdHocResponder _adHoc;
    private readonly TrustedAccounts _nodeJids;
    private readonly NodeDirectory _nodes;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly string _machineName;
    private readonly NodePresenceClient _presence;
    private AgentHealth? _published;
    private (int? Cpu, long? Memory, long? Disk) _statistics;

    /// <summary>Creates the service for <paramref name="supervisor"/>'s agent.</summary>
    public AgentXmppService(ProcessSupervisor supervisor, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _supervisor = supervisor;
        _options = supervisor.Options.Xmpp;
        _machineName = supervisor.Options.MachineName;
        _logger = loggerFactory.CreateLogger<AgentXmppService>();
        _jid = NodePresenceClient.JidOf(_options, _machineName, fallbackResource: "agent");
        _roles = new RoleSet(_options.Watchers, [], [], _options.Operators, _jid.Domain);
        _machine = new MachineStatistics(supervisor.Options.LogDirectory);
        _nodeJids = TrustedAccounts.TryCreate(_options.Nodes, own: _jid.Bare, "silo", out var nodeJids, out var nodesError)
            ? nodeJids
            : throw new ArgumentException($"Actors:Agent:Xmpp:Nodes: {nodesError}.", nameof(supervisor));
        _nodes = new NodeDirectory(_nodeJids.Contains);
        _commands = CreateCommands();
        // XEP-0050: the same commands, run through the same executor (role check, counting, handler) as chat.
        _adHoc = new AdHocResponder(_commands, _roles.Resolve, run =>
            {
                AgentLog.LogCommand(_logger, run.From.ToString(), run.CommandLine.Length <= 80 ? run.CommandLine : run.CommandLine[..80]);
                return ExecuteAsync(run.ToMessage(), run.CommandLine);
            },
            new AdHocSessionStore(TimeSpan.FromMinutes(10), maxPerRequester: 8, maxTotal: 256));
        _presence = new NodePresenceClient(_options, _jid, $"Actors agent on {_machineName}", _roles, loggerFactory, Attach);
        supervisor.Changed += (_, _) => Wake();
    }

    /// <summary>The connected client; null until the first session.</summary>
    internal XmppClient? Client => _presence.Client;

    /// <summary>The full JID the agent logs in with (resource = the machine's name).</summary>
    public Jid Jid => _jid;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Sends unavailable and closes the stream, bounded by the client's ShutdownTimeout.
        await _presence.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The XMPP server is usually one of the processes this agent starts: connect once they all run.
            if (!await _supervisor.Started.WaitAsync(stoppingToken).ConfigureAwait(false))
            {
                return;
            }

            var client = await _presence.ConnectWithRetryAsync(stoppingToken).ConfigureAwait(false);
            await NodeSubscriptions.SubscribeAsync(client, _nodeJids, _jid, stoppingToken).ConfigureAwait(false);
            var nextStatistics = DateTime.UtcNow;
            while (!stoppingToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= nextStatistics)
                {
                    _statistics = _machine.Sample();
                    nextStatistics = DateTime.UtcNow + _options.StatisticsInterval;
                }

                var health = Health();
                if (health != _published)
                {
                    await PublishAsync(health, stoppingToken).ConfigureAwait(false);
                }

                await _wake.WaitAsync(Tick, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The presence the agent shows now.</summary>
    internal AgentHealth Health()
    {
        var processes = _supervisor.Snapshot();
        var running = processes.Count(p => p.State == ProcessState.Running);
        var silos = processes.Count(p => p.Kind == ProcessKind.Silo && p.IsActive);
        var gateways = processes.Count(p => p.Kind == ProcessKind.Gateway && p.IsActive);
        var payload = new AgentPayload(_machineName, _statistics.Cpu, _statistics.Memory, _statistics.Disk, silos, gateways);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{running} of {processes.Count} processes running · {silos} silo{(silos == 1 ? "" : "s")} · {gateways} gateway{(gateways == 1 ? "" : "s")}");
        if (_statistics.Cpu is { } cpu)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $" · CPU {cpu}%");
        }

        var givenUp = processes.Where(p => p.State == ProcessState.GivenUp).ToList();
        if (givenUp.Count > 0)
        {
            var reasons = string.Join("; ", givenUp.Select(p => $"{p.Name} given up: {p.Reason}"));
            return new AgentHealth(PresenceShow.Dnd, $"{reasons} · {summary}", payload);
        }

        var troubled = processes.Where(p => p.State is ProcessState.BackingOff or ProcessState.Starting or ProcessState.Pending or ProcessState.Stopping).ToList();
        if (troubled.Count > 0)
        {
            var what = string.Join(", ", troubled.Select(p => $"{p.Name} {ProcessSupervisor.StateText(p.State)}"));
            return new AgentHealth(PresenceShow.Away, $"{what} · {summary}", payload);
        }

        return new AgentHealth(PresenceShow.None, summary, payload);
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PublishAsync(AgentHealth health, CancellationToken cancellationToken)
    {
        if (await _presence.PublishAsync(health.Show, health.Status, health.Payload.ToElement(), cancellationToken).ConfigureAwait(false))
        {
            _published = health;
            AgentLog.LogPresencePublished(_logger, NodePresenceClient.ShowText(health.Show), health.Status);
        }
    }

    /// <summary>The agent's own handlers on each new client: chat commands, ad-hoc commands and the nodes' presence.</summary>
    private void Attach(XmppClient client)
    {
        client.MessageReceived += OnMessage;
        _nodes.Follow(client);
        _adHoc.Attach(client);
    }
}
