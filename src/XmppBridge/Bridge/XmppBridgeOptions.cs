using Actors.Contracts.Hosting;
using Actors.XmppBridge.Client.Roles;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// How a silo's XMPP bridge logs in and whom it serves (docs/xmpp-bridge.md); bound from the configuration section
/// <c>Actors:Xmpp</c> (environment: <c>Actors__Xmpp__Jid</c>, <c>Actors__Xmpp__Writers__0</c>, …).
/// </summary>
/// <remarks>
/// Without a <see cref="Jid"/> the silo runs without the bridge. Role lists hold bare JIDs (<c>ops@example.org</c>) or
/// whole domains (<c>*@example.org</c>). The password is never logged: it is marked <see cref="SecretAttribute"/>.
/// </remarks>
public sealed class XmppBridgeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors:Xmpp";

    /// <summary>The silo's account, <c>user@domain</c>. Several silos may share one account with different resources.</summary>
    public string? Jid { get; set; }

    /// <summary>The account password.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>The resource to bind; defaults to the silo's name, which is what <c>where</c> answers with.</summary>
    public string? Resource { get; set; }

    /// <summary>Host to connect to when <see cref="Servers"/> is empty; defaults to the JID's domain.</summary>
    public string? Host { get; set; }

    /// <summary>Client-to-server port of <see cref="Host"/>.</summary>
    public int Port { get; set; } = 5222;

    /// <summary>
    /// The nodes of an XMPP cluster, each <c>host:port</c> (<c>Actors:Xmpp:Servers:0</c>, …); when set, used instead of
    /// <see cref="Host"/>/<see cref="Port"/>. The silo starts on the node its JID hashes to and moves to the next when it
    /// loses its node (docs/xmpp.md, Multi-homing).
    /// </summary>
    public List<string> Servers { get; } = [];

    /// <summary>
    /// The XMPP servers' admin APIs (ejabberd mod_http_api, e.g. <c>http://xmpp1.example.org:5281/api</c>), one per node
    /// (<c>Actors:Xmpp:AdminApiUrls:0</c>, …), tried in turn. When set, the surviving silos say <c>unavailable</c> on behalf
    /// of a silo Orleans declared dead, which an ejabberd cluster does not do for users of a node that died
    /// (<see cref="StalePresenceRepair"/>). Empty: nothing is sent (Prosody, one server).
    /// </summary>
    public List<string> AdminApiUrls { get; } = [];

    /// <summary>An account in the server's <c>admin</c> ACL allowed <c>get_roster</c> and <c>send_stanza</c>; none: no credentials are sent.</summary>
    public string? AdminJid { get; set; }

    /// <summary>The password of <see cref="AdminJid"/>.</summary>
    [Secret]
    public string? AdminPassword { get; set; }

    /// <summary>A PEM certificate to trust besides the system store (a self-signed server certificate).</summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>Allow a connection without TLS when the server offers none; honoured on loopback only.</summary>
    public bool AllowPlaintextOnLoopback { get; set; }

    /// <summary>
    /// The accounts of the cluster's other silos (<c>Actors:Xmpp:Silos:0</c>, …): bare JIDs (<c>silo-1@example.org</c>)
    /// or a prefix (<c>silo-*@example.org</c>), as in <see cref="Client.Store.XmppStoreWriterOptions.Silos"/>. Only
    /// <c>&lt;silo/&gt;</c> presence from them (and from this silo's own <see cref="Jid"/>, always trusted) feeds the
    /// directory <c>where</c> and <c>drain</c> answer from, and crash hints (docs/security.md). Empty: this silo's own
    /// account only, which is right when all silos share it. A whole domain (<c>*@example.org</c>) is refused.
    /// </summary>
    public List<string> Silos { get; } = [];

    /// <summary>
    /// The accounts of the system's gateways and machine agents (<c>Actors:Xmpp:Nodes:0</c>, …), bare JIDs
    /// (<c>gateway@example.org</c>) or prefixes (<c>agent-*@example.org</c>): their presence is what <c>status</c> and
    /// <c>/v1/cluster</c> list as gateways and agents (DESIGN §9). The bridge asks each bare JID for a presence
    /// subscription once it is online; a prefix's accounts must already be in its roster (a shared roster group).
    /// Empty: no gateway or agent is listed. A whole domain is refused, as for <see cref="Silos"/>.
    /// </summary>
    public List<string> Nodes { get; } = [];

    /// <summary>May subscribe to presence and use help, status and where. Empty: everyone on the silo's own domain.</summary>
    public List<string> Watchers { get; } = [];

    /// <summary>May read. Empty: the writers and operators.</summary>
    public List<string> Readers { get; } = [];

    /// <summary>May write. Empty: nobody, so writes are forbidden until configured.</summary>
    public List<string> Writers { get; } = [];

    /// <summary>May do everything, including <c>drain</c>. Empty: nobody.</summary>
    public List<string> Operators { get; } = [];

    /// <summary>Largest JSON body accepted in one XMPP write, in UTF-8 bytes (below Prosody's 256 KiB stanza limit).</summary>
    public int MaxWriteBytes { get; set; } = 200 * 1024;

    /// <summary>A write delayed (XEP-0203) longer than this, e.g. stored offline while its silo was down, is refused as stale.</summary>
    public TimeSpan MaxWriteAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Presence statistics (activations, CPU, memory) are republished at most this often, and only when changed.</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often storage is probed; a failed probe makes presence <c>dnd</c>.</summary>
    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When a peer silo (its own account or one of <see cref="Silos"/>) goes <c>unavailable</c> while Orleans lists it Active, probe its silo port
    /// at once and declare it dead if the connection is refused (<see cref="PeerCrashHint"/>). Default on.
    /// </summary>
    public bool CrashHints { get; set; } = true;

    /// <summary>How long a crash-hint probe waits for a TCP connect; a timeout proves nothing.</summary>
    public TimeSpan CrashHintConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Put the silo's Orleans address (IP and ports) in the <c>&lt;silo/&gt;</c> presence payload. Off by default:
    /// presence goes to every watcher of the domain, and internal addresses are for operators (<c>/v1/cluster</c>).
    /// </summary>
    public bool PresenceAddresses { get; set; }

    /// <summary>
    /// The most stanzas (writes, chat commands, IQs) one sender (bare JID) may have queued or running on this silo;
    /// beyond it the silo answers <c>wait</c>/<c>resource-constraint</c> at once, so one flooding account cannot crowd
    /// out the others (docs/security.md).
    /// </summary>
    public int MaxPendingPerSender { get; set; } = 1024;

    /// <summary>The most bytes one sender's queued or running stanzas may hold on this silo.</summary>
    public long MaxPendingBytesPerSender { get; set; } = 16L * 1024 * 1024;

    /// <summary>The most IQ requests this silo handles at once, over all senders; more are answered <c>wait</c>.</summary>
    public int MaxConcurrentIqs { get; set; } = 256;

    /// <summary>The role lists resolved against <paramref name="ownDomain"/> (the default watchers).</summary>
    internal RoleSet Roles(string ownDomain) => new(Watchers, Readers, Writers, Operators, ownDomain);

    /// <summary>True when a <see cref="Jid"/> is configured, i.e. the bridge runs.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Jid);
}
