namespace Actors.Gateway.Endpoints;

/// <summary>The body of <c>GET /v1/cluster</c>.</summary>
/// <param name="Silos">Every silo that is not dead, by name.</param>
/// <param name="Gateways">Every gateway whose XMPP presence a silo sees (DESIGN §9; silos' <c>Actors:Xmpp:Nodes</c>).</param>
/// <param name="Agents">Every machine agent whose XMPP presence a silo sees.</param>
public sealed record ClusterResponse(IReadOnlyList<SiloInfo> Silos, IReadOnlyList<NodeInfo> Gateways, IReadOnlyList<NodeInfo> Agents);

/// <summary>One silo as Orleans management sees it.</summary>
/// <param name="Name">The silo's configured name.</param>
/// <param name="Address">Its silo-to-silo address, <c>ip:port@generation</c>.</param>
/// <param name="Status">Its Orleans membership status: <c>Joining</c>, <c>Active</c>, <c>ShuttingDown</c>, <c>Stopping</c>, ….</param>
/// <param name="Activations">Grain activations on it; null when its statistics could not be read.</param>
/// <param name="CpuPercent">Its host's CPU usage in percent; null when unknown.</param>
/// <param name="MemoryMb">Its process's memory usage in MiB; null when unknown.</param>
/// <param name="Xmpp">Its XMPP identity and presence; null when the silo runs without the XMPP bridge (or has not reported yet).</param>
public sealed record SiloInfo(
    string Name,
    string Address,
    string Status,
    int? Activations,
    double? CpuPercent,
    double? MemoryMb,
    XmppPresence? Xmpp);

/// <summary>A silo's XMPP identity and presence (docs/xmpp-bridge.md).</summary>
/// <param name="Jid">The silo's full JID.</param>
/// <param name="Show"><c>available</c>, <c>away</c>, <c>dnd</c> or <c>unavailable</c>.</param>
/// <param name="Status">The human status line.</param>
public sealed record XmppPresence(string Jid, string Show, string? Status);

/// <summary>A gateway or machine agent as its XMPP presence shows it (DESIGN §9).</summary>
/// <param name="Name">The gateway's name or the agent's machine.</param>
/// <param name="Jid">Its full JID.</param>
/// <param name="Show"><c>available</c>, <c>away</c> or <c>dnd</c> (with the reason in <paramref name="Status"/>).</param>
/// <param name="Status">The human status line, e.g. <c>ready · 120 requests/s</c>.</param>
/// <param name="Url">A gateway's HTTP URL, when it publishes one; null for agents.</param>
public sealed record NodeInfo(string Name, string Jid, string Show, string? Status, string? Url);
