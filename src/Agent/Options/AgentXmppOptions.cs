using Actors.Contracts.Hosting;

namespace Actors.Agent.Options;

/// <summary>How the agent logs in as a Jabber client and whom it serves; the same role lists as a silo's <c>Actors:Xmpp</c>.</summary>
/// <remarks>Without a <see cref="Jid"/> the agent supervises without XMPP. The password is never logged.</remarks>
public sealed class AgentXmppOptions
{
    /// <summary>The agent's account, e.g. <c>agent@localhost</c>; the resource is the machine's name.</summary>
    public string? Jid { get; set; }

    /// <summary>The account's password.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>Host to connect to when <see cref="Servers"/> is empty; the JID's domain when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Client-to-server port of <see cref="Host"/>.</summary>
    public int Port { get; set; } = 5222;

    /// <summary>
    /// The nodes of an XMPP cluster, each <c>host:port</c>; when set, used instead of <see cref="Host"/>/<see cref="Port"/>,
    /// and the agent moves to another node when it loses its own (as a silo does, docs/xmpp.md).
    /// </summary>
    public List<string> Servers { get; } = [];

    /// <summary>A PEM certificate to trust besides the system store (a self-signed server certificate).</summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>Allow a connection without TLS when the server offers none; honoured on loopback only.</summary>
    public bool AllowPlaintextOnLoopback { get; set; }

    /// <summary>
    /// The accounts of the system's other nodes — silos, gateways, other machines' agents — as bare JIDs
    /// (<c>gateway@example.org</c>) or prefixes (<c>silo-*@example.org</c>): <c>status</c> lists the nodes whose presence
    /// comes from them (DESIGN §9). Each bare JID is asked for a presence subscription once the agent is online; a
    /// prefix's accounts must already be in the agent's roster (a shared roster group, as <c>./actors up</c> sets up).
    /// The agent's own account always counts. A whole domain is refused.
    /// </summary>
    public List<string> Nodes { get; } = [];

    /// <summary>May see presence and use <c>help</c>, <c>processes</c>. Empty: everyone on the agent's own domain.</summary>
    public List<string> Watchers { get; } = [];

    /// <summary>May also restart, grow and shrink. Empty: nobody.</summary>
    public List<string> Operators { get; } = [];

    /// <summary>A command delayed (XEP-0203) longer than this, e.g. stored offline, is refused: a stored <c>grow</c> is never replayed.</summary>
    public TimeSpan MaxCommandAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Machine statistics in presence are refreshed this often (a state change is published at once).</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when a <see cref="Jid"/> is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Jid);
}
