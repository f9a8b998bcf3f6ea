namespace Actors.Contracts;

/// <summary>
/// A gateway or machine agent as a silo's XMPP bridge last saw its presence (DESIGN §9), carried in that silo's
/// <see cref="SiloXmppPresence"/> report so <c>/v1/cluster</c> can list them.
/// </summary>
/// <param name="Kind"><c>gateway</c> or <c>agent</c>.</param>
/// <param name="Name">The gateway's name or the agent's machine.</param>
/// <param name="Jid">The node's full JID.</param>
/// <param name="Show"><c>available</c>, <c>away</c>, <c>dnd</c>…</param>
/// <param name="Status">The node's one-line human status.</param>
/// <param name="Url">A gateway's HTTP URL, when it publishes one.</param>
[GenerateSerializer, Immutable]
public sealed record XmppNodePresence(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Name,
    [property: Id(2)] string Jid,
    [property: Id(3)] string Show,
    [property: Id(4)] string? Status,
    [property: Id(5)] string? Url);
