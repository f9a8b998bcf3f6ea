using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>What <see cref="PeerCrashHint"/> concluded from one <c>unavailable</c> presence of a peer silo.</summary>
internal enum PeerCrashHintOutcome
{
    /// <summary>Not a peer silo, this silo itself, or Orleans no longer lists it Active: nothing to do.</summary>
    Ignored,

    /// <summary>The peer's silo port accepted a connection: it is alive (e.g. only its XMPP session dropped).</summary>
    Alive,

    /// <summary>The probe timed out or failed otherwise: proves nothing, Orleans' own failure detection decides.</summary>
    Inconclusive,

    /// <summary>The connection was refused (RST) twice: the process is gone; this silo asked Orleans to declare it dead.</summary>
    Killed,

    /// <summary>The connection was refused, but Orleans did not record the kill (another silo did, or it was declared dead meanwhile).</summary>
    KillNotApplied,
}

/// <summary>
/// Issue 5, "going beyond Orleans": silos sharing one bare JID see each other's presence, so when the XMPP server
/// reports a peer silo <c>unavailable</c> while Orleans still lists it Active, the peer is probed at once, and if the
/// probe proves the process is gone the peer is declared dead through
/// <see cref="IClusterMembershipService.TryKill"/> instead of after Orleans' missed-probe timeouts.
/// </summary>
/// <remarks>
/// <para><b>Why only a refused connection counts.</b> <c>unavailable</c> only says the silo's XMPP session ended: the
/// XMPP server may have restarted, the network to it may have failed, or the bridge may be reconnecting, while the silo
/// is perfectly alive. A TCP connect to the peer's Orleans silo port separates the cases. A live silo always has its
/// listener open, so it <b>accepts</b>: never killed. A refused connection (the kernel answers the SYN with RST) means
/// the host is up and nothing listens on that port: the silo process is gone. A timeout, an unreachable network or any
/// other error proves nothing (a partitioned or overloaded host looks the same as a dead one), so it is left to
/// Orleans, whose votes and timeouts are built for exactly that. The probe is repeated once before killing, and only an
/// Orleans member still Active with that exact address is killed, so a silo restarted on the same port (a new
/// generation, listening) is never touched. A wrongly killed silo would stop itself when it saw its own death: that is
/// why a weaker signal than RST must never lead here.</para>
/// <para>Every silo sharing the account sees the same presence, so several may probe and call TryKill; Orleans applies
/// one and the others get false (<see cref="PeerCrashHintOutcome.KillNotApplied"/>).</para>
/// </remarks>
internal sealed class PeerCrashHint
{
    private static readonly TimeSpan ConfirmDelay = TimeSpan.FromMilliseconds(100);

    private readonly IClusterMembershipService _membership;
    private readonly Func<SiloAddress> _self;
    private readonly ILogger _logger;
    private readonly TimeSpan _connectTimeout;
    private readonly ConcurrentDictionary<Jid, (string Name, string? Address)> _peers = new();
    private readonly TrustedAccounts _silos;

    public PeerCrashHint(IClusterMembershipService membership, Func<SiloAddress> self, TrustedAccounts silos, ILogger logger, TimeSpan connectTimeout)
    {
        _membership = membership;
        _self = self;
        _silos = silos;
        _logger = logger;
        _connectTimeout = connectTimeout;
    }

    /// <summary>
    /// Remembers peers from their available presence (its <c>&lt;silo name address/&gt;</c> payload), and on an
    /// <c>unavailable</c> from a known or same-account peer starts the check in the background.
    /// </summary>
    /// <remarks>
    /// Presence from outside the silos' accounts (<see cref="XmppBridgeOptions.Silos"/>) is ignored: anyone on the domain
    /// can send directed presence, and each spoofed <c>unavailable</c> would cost a probe or two. Payloads over the
    /// <see cref="SiloPayload"/> caps are ignored, and at most <see cref="SiloDirectory.MaxEntries"/> peers are remembered.
    /// </remarks>
    /// <returns>The running check, or null when the presence is not an unavailable peer.</returns>
    public Task<PeerCrashHintOutcome>? Observe(Presence presence, Jid ownBare)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (presence.From is not { IsBare: false } from || !_silos.Contains(from))
        {
            return null;
        }

        if (presence.Type == PresenceType.Available && SiloPayload.TryReadIdentity(presence.Element, out var name, out var address))
        {
            if (_peers.Count < SiloDirectory.MaxEntries || _peers.ContainsKey(from))
            {
                _peers[from] = (name, address);
            }

            return null;
        }

        if (presence.Type != PresenceType.Unavailable)
        {
            return null;
        }

        // The server's unavailable after a crash carries no payload: use what the peer published while alive, or, for
        // a peer on this account never seen available, its resource as silo name (the default deployment).
        (string Name, string? Address) peer;
        if (_peers.TryRemove(from, out var known))
        {
            peer = known;
        }
        else if (from.Bare == ownBare && from.Resource is { Length: > 0 } resource)
        {
            peer = (resource, null);
        }
        else
        {
            return null;
        }

        return Task.Run(() => CheckAsync(peer.Name, peer.Address));
    }

    /// <summary>
    /// Probes every other Active member, each as <see cref="CheckAsync"/> does (killed only on two refused connects).
    /// For when this silo's XMPP node died: a silo on the same machine may have died with it, and no server will ever
    /// say <c>unavailable</c> for it (issue 14, a lost machine), so waiting for presence would leave it to Orleans' own
    /// verdict (4–6 s).
    /// </summary>
    public async Task<IReadOnlyList<PeerCrashHintOutcome>> CheckEveryPeerAsync()
    {
        var self = _self();
        var peers = _membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(self))
            .ToList();
        return await Task.WhenAll(peers.Select(m => CheckAsync(m.Name, m.SiloAddress.ToString()))).ConfigureAwait(false);
    }

    /// <summary>Probes the peer named <paramref name="name"/> (published address <paramref name="address"/>) and kills it on proof.</summary>
    internal async Task<PeerCrashHintOutcome> CheckAsync(string name, string? address)
    {
        try
        {
            var member = FindActive(name, address);
            if (member is null)
            {
                // Maybe the local view is stale: read the table once before deciding it is not Active.
                await _membership.Refresh().ConfigureAwait(false);
                member = FindActive(name, address);
            }

            if (member is null)
            {
                return PeerCrashHintOutcome.Ignored;
            }

            var endpoint = member.SiloAddress.Endpoint;
            var first = await ProbeAsync(endpoint).ConfigureAwait(false);
            if (first != PeerCrashHintOutcome.Killed)
            {
                BridgeLog.LogPeerHintNoProof(_logger, name, endpoint.ToString(), first.ToString());
                return first;
            }

            await Task.Delay(ConfirmDelay).ConfigureAwait(false);
            var second = await ProbeAsync(endpoint).ConfigureAwait(false);
            if (second != PeerCrashHintOutcome.Killed)
            {
                BridgeLog.LogPeerHintNoProof(_logger, name, endpoint.ToString(), second.ToString());
                return second;
            }

            // Still listed Active? (Orleans may have declared it dead meanwhile.)
            if (FindActive(name, address) is not { } still || !still.SiloAddress.Equals(member.SiloAddress))
            {
                return PeerCrashHintOutcome.Ignored;
            }

            var killed = await _membership.TryKill(member.SiloAddress).ConfigureAwait(false);
            BridgeLog.LogPeerHintKill(_logger, name, member.SiloAddress.ToString(), killed);
            return killed ? PeerCrashHintOutcome.Killed : PeerCrashHintOutcome.KillNotApplied;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            BridgeLog.LogPeerHintFailed(_logger, ex, name);
            return PeerCrashHintOutcome.Inconclusive;
        }
    }

    /// <summary>The Active member (not this silo) with the published address, or else with the name.</summary>
    private ClusterMember? FindActive(string name, string? address)
    {
        var self = _self();
        var active = _membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(self))
            .ToList();
        if (address is not null)
        {
            // A published address names one generation exactly; if it is not Active, that generation is not our business.
            return active.FirstOrDefault(m => string.Equals(m.SiloAddress.ToString(), address, StringComparison.Ordinal));
        }

        return active.Where(m => string.Equals(m.Name, name, StringComparison.Ordinal)).MaxBy(m => m.SiloAddress.Generation);
    }

    /// <summary>One TCP connect: <see cref="PeerCrashHintOutcome.Killed"/> stands for "refused" here.</summary>
    private async Task<PeerCrashHintOutcome> ProbeAsync(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(_connectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return PeerCrashHintOutcome.Alive;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return PeerCrashHintOutcome.Killed;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return PeerCrashHintOutcome.Inconclusive;
        }
    }
}
