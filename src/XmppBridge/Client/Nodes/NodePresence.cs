using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Nodes;

/// <summary>One node as its last available presence showed it.</summary>
/// <param name="Kind">Silo, gateway or agent.</param>
/// <param name="Name">The silo's or gateway's name, the agent's machine.</param>
/// <param name="Jid">The node's full JID.</param>
/// <param name="Show"><see cref="PresenceShow.None"/> (available), away, dnd…</param>
/// <param name="Status">The one-line human status, if any.</param>
/// <param name="Url">A gateway's HTTP URL; null for other kinds or when it publishes none.</param>
/// <param name="SeenAtUtc">When that presence arrived.</param>
public sealed record NodePresence(NodeKind Kind, string Name, Jid Jid, PresenceShow Show, string? Status, string? Url, DateTime SeenAtUtc)
{
    /// <summary><c>available</c>, <c>away</c>, <c>dnd</c>, <c>xa</c> or <c>chat</c>, as XMPP clients say it.</summary>
    public string ShowName => Show == PresenceShow.None ? "available" : Show.ToString().ToLowerInvariant();
}
