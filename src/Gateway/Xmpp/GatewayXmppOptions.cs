using Actors.Contracts.Hosting;

namespace Actors.Gateway.Xmpp;

/// <summary>
/// <c>Gateway:Xmpp</c>: how the gateway logs in as a Jabber client (DESIGN §9); the shape of the agent's
/// <c>Actors:Agent:Xmpp</c> connection options. Without a <see cref="Jid"/> the gateway runs without XMPP.
/// </summary>
public sealed class GatewayXmppOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Xmpp";

    /// <summary>The gateway's account, e.g. <c>gateway@localhost</c>; the resource is <see cref="Name"/>.</summary>
    public string? Jid { get; set; }

    /// <summary>The account's password.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>Host to connect to when <see cref="Servers"/> is empty; the JID's domain when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Client-to-server port of <see cref="Host"/>.</summary>
    public int Port { get; set; } = 5222;

    /// <summary>The nodes of an XMPP cluster, each <c>host:port</c>; when set, used instead of <see cref="Host"/>/<see cref="Port"/>.</summary>
    public List<string> Servers { get; } = [];

    /// <summary>A PEM certificate to trust besides the system store (a self-signed server certificate).</summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>Allow a connection without TLS when the server offers none; honoured on loopback only.</summary>
    public bool AllowPlaintextOnLoopback { get; set; }

    /// <summary>May subscribe to the gateway's presence. Empty: everyone on the gateway's own domain.</summary>
    public List<string> Watchers { get; } = [];

    /// <summary>The gateway's name in presence and its XMPP resource; the machine's name when empty.</summary>
    public string? Name { get; set; }

    /// <summary>The URL clients reach the gateway's HTTP API at, published in presence.</summary>
    public string? Url { get; set; }

    /// <summary>How often readiness and the request rate are sampled; presence is republished only when it changed meaningfully.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when a <see cref="Jid"/> and a password are configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Jid) && !string.IsNullOrEmpty(Password);
}
