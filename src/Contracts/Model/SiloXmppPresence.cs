namespace Actors.Contracts;

/// <summary>What one silo's XMPP bridge publishes: its full JID and presence (docs/http-api.md <c>/v1/cluster</c>).</summary>
/// <param name="SiloAddress">The silo's Orleans address, as <c>SiloAddress.ToString()</c>.</param>
/// <param name="Jid">The silo's full JID.</param>
/// <param name="Show"><c>available</c>, <c>away</c>, <c>dnd</c> or <c>unavailable</c>.</param>
/// <param name="Status">The one-line human status, e.g. <c>Active · 12 activations · CPU 3% · 3 silos</c>.</param>
/// <param name="ReportedAtUtc">When the bridge reported it.</param>
/// <param name="Nodes">The gateways and agents whose presence the bridge sees; null from a silo of an older version.</param>
[GenerateSerializer, Immutable]
public sealed record SiloXmppPresence(
    [property: Id(0)] string SiloAddress,
    [property: Id(1)] string Jid,
    [property: Id(2)] string Show,
    [property: Id(3)] string? Status,
    [property: Id(4)] DateTime ReportedAtUtc,
    [property: Id(5)] XmppNodePresence[]? Nodes = null)
{
    /// <summary>How often a bridge reports even when nothing changed.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(20);
}
