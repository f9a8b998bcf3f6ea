using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Diagnostics;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>Presence = health: publishing, and answering subscription requests.</summary>
internal sealed partial class XmppBridgeService
{
    private static readonly TimeSpan PresenceTick = TimeSpan.FromSeconds(1);

    private SiloHealth? _published;
    private string? _publishedStatus;
    private DateTime _nextRegistryReport;
    private volatile bool _sessionLost;

    /// <summary>
    /// Publishes a status change at once (checked every second, or when woken), and load statistics at most once per
    /// <see cref="XmppBridgeOptions.StatisticsInterval"/> and only when they changed.
    /// </summary>
    private async Task RunPresenceLoopAsync(CancellationToken cancellationToken)
    {
        var nextProbe = DateTime.UtcNow;
        var nextStatistics = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            // Probe only once the silo is Active: storage connects while the silo starts, so an earlier probe would
            // only learn "not connected yet" and show a starting silo as dnd (degraded) for its first second.
            // Until then presence says Joining anyway.
            if (_monitor.Active && now >= nextProbe)
            {
                await _monitor.ProbeAsync(cancellationToken).ConfigureAwait(false);
                // After a failure probe again within a second: a short outage should not show dnd for a whole
                // interval once storage answers again.
                nextProbe = now + (_monitor.Degraded && PresenceTick < _options.HealthProbeInterval ? PresenceTick : _options.HealthProbeInterval);
            }

            var health = _monitor.Current();
            var statusChanged = _published is null || health.Show != _published.Show || health.Status != _published.Status;
            if (statusChanged || now >= nextStatistics)
            {
                await _monitor.RefreshStatisticsAsync(cancellationToken).ConfigureAwait(false);
                nextStatistics = now + _options.StatisticsInterval;
                health = _monitor.Current();
            }

            if (health != _published)
            {
                await PublishAsync(health, cancellationToken).ConfigureAwait(false);
            }
            else if (_published is { } published && now >= _nextRegistryReport)
            {
                ReportToRegistry(published, _publishedStatus);
            }

            await _wake.WaitAsync(PresenceTick, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(SiloHealth health, CancellationToken cancellationToken)
    {
        if (_client is not { } client)
        {
            return;
        }

        var status = PresenceFormatter.StatusLine(health);
        try
        {
            var address = _options.PresenceAddresses ? _silo.SiloAddress.ToString() : null;
            var payload = PresenceFormatter.SiloElement(health, _silo.Name, address, _version);
            await client.SetPresenceAsync(health.Show, status, payload, cancellationToken).ConfigureAwait(false);
            if (_published?.Show != health.Show)
            {
                XmppInstruments.PresenceChanges.Add(1, new KeyValuePair<string, object?>("show", ShowName(health.Show)));
            }
            _published = health;
            _publishedStatus = status;
            ReportToRegistry(health, status);
            BridgeLog.LogPresencePublished(_logger, ShowName(health.Show), status);
        }
        catch (Exception ex) when (ex is XmppException or OperationCanceledException or ObjectDisposedException)
        {
            // Not connected right now: the client republishes the last presence set once its session is back, and the
            // loop tries again on the next change.
            BridgeLog.LogPresenceFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Tells the cluster's presence registry what was published, so the gateway's <c>/v1/cluster</c> can show it.
    /// Fire and forget: presence must never wait on a grain call, and the next report repairs a lost one.
    /// </summary>
    private void ReportToRegistry(SiloHealth health, string? status)
    {
        // Not while joining: the registry is a grain, and the first silo of a cluster has nowhere to place it before it
        // is Active (Orleans retries and logs a warning with a stack trace). /v1/cluster shows a joining silo from
        // membership anyway, and becoming Active publishes, and so reports, at once.
        if (_client?.BoundJid is not { } jid || !_monitor.Active)
        {
            return;
        }

        _nextRegistryReport = DateTime.UtcNow + SiloXmppPresence.ReportInterval;
        var show = health.Show switch
        {
            PresenceShow.None => "available",
            PresenceShow.Away => "away",
            PresenceShow.Dnd => "dnd",
            var other => other.ToString().ToLowerInvariant(),
        };
        XmppNodePresence[] nodes =
        [
            .. _nodes.Snapshot().Where(n => n.Kind != NodeKind.Silo)
                .Select(n => new XmppNodePresence(n.Kind.ToString().ToLowerInvariant(), n.Name, n.Jid.ToString(), n.ShowName, n.Status, n.Url)),
        ];
        var presence = new SiloXmppPresence(_silo.SiloAddress.ToString(), jid.ToString(), show, status, DateTime.UtcNow, nodes);
        var registry = _grains.GetGrain<ISiloPresenceRegistryGrain>(ISiloPresenceRegistryGrain.Key);
        _ = Task.Run(async () =>
        {
            try
            {
                await registry.ReportAsync(presence).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                BridgeLog.LogRegistryReportFailed(_logger, ex);
            }
        }, CancellationToken.None);
    }

    private static string ShowName(PresenceShow show) => show == PresenceShow.None ? "available" : show.ToString().ToLowerInvariant();

    private void OnPresence(object? sender, Presence presence)
    {
        _directory.Observe(presence);
        _crashHint?.Observe(presence, _bareJid);
    }

    /// <summary>
    /// After a lost session comes back, probe every peer (below); the node directory forgets and refills itself
    /// (<see cref="NodeDirectory.Follow"/>).
    /// </summary>
    private void OnStateChanged(object? sender, XmppConnectionStateChangedEventArgs change)
    {
        if (change.State is XmppConnectionState.Reconnecting or XmppConnectionState.Disconnected)
        {
            _sessionLost = true;
        }
        else if (change.State == XmppConnectionState.Connected && _sessionLost && _crashHint is { } hint)
        {
            // Back after losing the session: if its XMPP node died, a silo of the same machine may have died with it,
            // and the survivors' servers never say unavailable for it. Probe every peer now rather than wait for Orleans.
            _sessionLost = false;
            _ = Task.Run(hint.CheckEveryPeerAsync, CancellationToken.None);
        }
    }

    /// <summary>Makes the presence loop report to the registry on its next turn (within a second).</summary>
    private void RequestRegistryReport()
    {
        _nextRegistryReport = DateTime.MinValue;
        try
        {
            Wake();
        }
        catch (ObjectDisposedException)
        {
            // Stopped: nothing reports any more.
        }
    }

    private void OnSubscriptionRequested(object? sender, Presence request)
    {
        if (sender is not XmppClient client || request.From is not { } from)
        {
            return;
        }

        var approve = _roles.Resolve(from).HasFlag(BridgeRoles.Watcher);
        BridgeLog.LogSubscription(_logger, from.Bare.ToString(), approve ? "approved (watcher)" : "refused (no role)");
        _ = Task.Run(async () =>
        {
            try
            {
                if (approve)
                {
                    await client.ApproveSubscriptionAsync(from, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await client.DenySubscriptionAsync(from, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is XmppException or ObjectDisposedException or OperationCanceledException)
            {
                BridgeLog.LogReplyFailed(_logger, ex, from.ToString());
            }
        }, CancellationToken.None);
    }
}
