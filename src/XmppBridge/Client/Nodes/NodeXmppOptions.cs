using Actors.Contracts.Hosting;

namespace Actors.XmppBridge.Client.Nodes;

/// <summary>
/// How a node that is not a silo — a machine agent (<c>Actors:Agent:Xmpp</c>) or an HTTP gateway (<c>Gateway:Xmpp</c>)
/// — logs in as a Jabber client to publish its presence (DESIGN §9). Each node's options derive from this class and add
/// their own settings; the setting names are the property names, so both sections bind the same keys.
/// </summary>
/// <remarks>
/// <see cref="NodePresenceClient"/> turns these into <see cref="Options.XmppClientOptions"/>. The password is never
/// logged: it is marked <see cref="SecretAttribute"/>, so <see cref="OptionsFormatter"/> writes <c>***</c>.
/// </remarks>
public abstract class NodeXmppOptions
{
    /// <summary>The node's account, e.g. <c>agent@localhost</c>; the resource is the node's name.</summary>
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
    /// and the client moves to another node when it loses its own (as a silo does, docs/xmpp.md).
    /// </summary>
    public List<string> Servers { get; } = [];

    /// <summary>A PEM certificate to trust besides the system store (a self-signed server certificate).</summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>Allow a connection without TLS when the server offers none; honoured on loopback only.</summary>
    public bool AllowPlaintextOnLoopback { get; set; }

    /// <summary>May subscribe to the node's presence. Empty: everyone on the node's own domain.</summary>
    public List<string> Watchers { get; } = [];
}
