using Actors.XmppBridge.Client.Nodes;

namespace Actors.Gateway.Xmpp;

/// <summary>
/// <c>Gateway:Xmpp</c>: how the gateway logs in as a Jabber client (DESIGN §9); the connection settings and
/// <c>Watchers</c> are the agent's <c>Actors:Agent:Xmpp</c> ones (<see cref="NodeXmppOptions"/>), the JID's resource is
/// <see cref="Name"/>. Without a <c>Jid</c> the gateway runs without XMPP.
/// </summary>
public sealed class GatewayXmppOptions : NodeXmppOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Xmpp";

    /// <summary>The gateway's name in presence and its XMPP resource; the machine's name when empty.</summary>
    public string? Name { get; set; }

    /// <summary>The URL clients reach the gateway's HTTP API at, published in presence.</summary>
    public string? Url { get; set; }

    /// <summary>How often readiness and the request rate are sampled; presence is republished only when it changed meaningfully.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when a <see cref="NodeXmppOptions.Jid"/> and a password are configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Jid) && !string.IsNullOrEmpty(Password);
}
