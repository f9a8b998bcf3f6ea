using System.Collections.Concurrent;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Client.Nodes;

/// <summary>
/// Every silo, gateway and agent whose presence this client receives, for <c>status</c> on silos and agents and the
/// gateways and agents of <c>/v1/cluster</c> (DESIGN §9): kept from available presence carrying a <c>urn:actors:1</c>
/// payload, forgotten on <c>unavailable</c>.
/// </summary>
/// <remarks>
/// Only presence from the accounts in <c>trusted</c> counts — the silos' and the <c>Nodes</c> setting's: directed
/// presence reaches a client from any account of the domain, which could otherwise list itself as a gateway. Names and
/// URLs over <see cref="MaxTextLength"/> are ignored and at most <see cref="MaxEntries"/> nodes are kept, so even a
/// compromised node account cannot grow it without bound.
/// </remarks>
public sealed class NodeDirectory
{
    /// <summary>The most nodes remembered; presence naming more is ignored until some go unavailable.</summary>
    public const int MaxEntries = 1024;

    /// <summary>The longest name, status or URL taken from presence.</summary>
    public const int MaxTextLength = 256;

    private readonly ConcurrentDictionary<Jid, NodePresence> _nodes = new();
    private readonly Func<Jid, bool> _trusted;
    private readonly TimeProvider _time;

    /// <summary>A directory that takes presence only from JIDs for which <paramref name="trusted"/> is true.</summary>
    public NodeDirectory(Func<Jid, bool> trusted, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        _trusted = trusted;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised after a node appeared, changed its presence or went away.</summary>
    public event EventHandler? Changed;

    /// <summary>How many nodes are known.</summary>
    public int Count => _nodes.Count;

    /// <summary>Records or forgets a node from a presence stanza; true when the directory changed.</summary>
    public bool Observe(Presence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (presence.From is not { IsBare: false } from || !_trusted(from))
        {
            return false;
        }

        var changed = presence.Type switch
        {
            PresenceType.Unavailable => _nodes.TryRemove(from, out _),
            PresenceType.Available when Read(presence, from) is { } node && (_nodes.Count < MaxEntries || _nodes.ContainsKey(from)) => Store(node),
            _ => false,
        };
        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return changed;
    }

    /// <summary>
    /// Keeps this directory from <paramref name="client"/>'s presence, and forgets every node when its session is lost:
    /// presence stops arriving then, and listing a node that died meanwhile would be a lie; the next session's initial
    /// presence lists the living ones again.
    /// </summary>
    public void Follow(XmppClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.PresenceReceived += (_, presence) => Observe(presence);
        client.StateChanged += (_, change) =>
        {
            if (change.State is XmppConnectionState.Reconnecting or XmppConnectionState.Disconnected)
            {
                Clear();
            }
        };
    }

    /// <summary>Forgets every node, e.g. when the session is lost (the next session's presence fills it again).</summary>
    public void Clear()
    {
        if (!_nodes.IsEmpty)
        {
            _nodes.Clear();
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>The nodes known now: silos, then gateways, then agents, each by name.</summary>
    public IReadOnlyList<NodePresence> Snapshot() =>
        [.. _nodes.Values.OrderBy(n => n.Kind).ThenBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Jid.ToString(), StringComparer.Ordinal)];

    private bool Store(NodePresence node)
    {
        var previous = _nodes.TryGetValue(node.Jid, out var known) ? known : null;
        _nodes[node.Jid] = node;
        return previous is null || previous with { SeenAtUtc = node.SeenAtUtc } != node;
    }

    private NodePresence? Read(Presence presence, Jid from)
    {
        var status = presence.Status is { Length: <= MaxTextLength } s ? s : null;
        var now = _time.GetUtcNow().UtcDateTime;
        if (SiloPayload.TryReadIdentity(presence.Element, out var silo, out _))
        {
            return new NodePresence(NodeKind.Silo, silo, from, presence.Show, status, null, now);
        }

        if (GatewayPayload.TryFind(presence.Element, out var gateway) && Fits(gateway.Name) && gateway.Url.Length <= MaxTextLength)
        {
            return new NodePresence(NodeKind.Gateway, gateway.Name, from, presence.Show, status, gateway.Url.Length == 0 ? null : gateway.Url, now);
        }

        if (AgentPayload.TryFind(presence.Element, out var agent) && Fits(agent.Machine))
        {
            return new NodePresence(NodeKind.Agent, agent.Machine, from, presence.Show, status, null, now);
        }

        return null;
    }

    private static bool Fits(string text) => text.Length is > 0 and <= MaxTextLength;
}
