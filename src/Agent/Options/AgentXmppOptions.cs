using Actors.XmppBridge.Client.Nodes;

namespace Actors.Agent.Options;

/// <summary>How the agent logs in as a Jabber client and whom it serves; the same role lists as a silo's <c>Actors:Xmpp</c>.</summary>
/// <remarks>
/// The connection settings (<c>Jid</c>, <c>Password</c>, <c>Host</c>, <c>Port</c>, <c>Servers</c>, …) and
/// <c>Watchers</c> are the gateway's too (<see cref="NodeXmppOptions"/>); the JID's resource is the machine's name, and
/// watchers may also use <c>help</c>, <c>processes</c> and <c>status</c>. Without a <c>Jid</c> the agent supervises
/// without XMPP. The password is never logged.
/// </remarks>
public sealed class AgentXmppOptions : NodeXmppOptions
{
    /// <summary>
    /// The accounts of the system's other nodes — silos, gateways, other machines' agents — as bare JIDs
    /// (<c>gateway@example.org</c>) or prefixes (<c>silo-*@example.org</c>): <c>status</c> lists the nodes whose presence
    /// comes from them (DESIGN §9). Each bare JID is asked for a presence subscription once the agent is online; a
    /// prefix's accounts must already be in the agent's roster (a shared roster group, as <c>./actors up</c> sets up).
    /// The agent's own account always counts. A whole domain is refused.
    /// </summary>
    public List<string> Nodes { get; } = [];

    /// <summary>May also restart, grow and shrink. Empty: nobody.</summary>
    public List<string> Operators { get; } = [];

    /// <summary>A command delayed (XEP-0203) longer than this, e.g. stored offline, is refused: a stored <c>grow</c> is never replayed.</summary>
    public TimeSpan MaxCommandAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Machine statistics in presence are refreshed this often (a state change is published at once).</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when a <see cref="NodeXmppOptions.Jid"/> is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Jid);
}
