using System.Security.Cryptography.X509Certificates;
using Actors.Contracts.Hosting;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Options;

/// <summary>Settings of one <see cref="XmppClient"/>.</summary>
/// <remarks>The password is never logged: it is marked <see cref="SecretAttribute"/>, so <see cref="OptionsFormatter"/> writes <c>***</c>.</remarks>
public sealed class XmppClientOptions
{
    /// <summary>The account, <c>user@domain</c>, optionally with the resource to request (<c>/silo-1</c>).</summary>
    public required Jid Jid { get; set; }

    /// <summary>The account password.</summary>
    [Secret]
    public required string Password { get; set; }

    /// <summary>Host to connect to when <see cref="Servers"/> is empty; defaults to the JID's domain (no SRV lookup).</summary>
    public string? Host { get; set; }

    /// <summary>TCP port of <see cref="Host"/>; 5222 by default.</summary>
    public int Port { get; set; } = XmppServerEndpoint.DefaultPort;

    /// <summary>
    /// Several servers serving the same accounts (the nodes of one cluster); when empty, the one server
    /// <see cref="Host"/>:<see cref="Port"/>. The client starts at the server picked by a hash of its full JID, so
    /// clients spread over the list, and after losing its server reconnects to the next one in the list (with the
    /// usual back-off and jitter), going round the list until one takes it (docs/xmpp.md, Multi-homing).
    /// </summary>
    public IList<XmppServerEndpoint> Servers { get; } = [];

    /// <summary>
    /// A certificate to trust in addition to the system store (e.g. a test server's self-signed one).
    /// Certificate validation is otherwise always on.
    /// </summary>
    public X509Certificate2? TrustedCertificate { get; set; }

    /// <summary>
    /// Allows a connection without TLS (and PLAIN over it) when the server offers no STARTTLS — honoured only
    /// when the server's address is a loopback address; anything else is refused.
    /// </summary>
    public bool AllowPlaintextOnLoopback { get; set; }

    /// <summary>Time allowed for TCP connect plus stream negotiation.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Default time an IQ request waits for its response.</summary>
    public TimeSpan IqTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle time after which the client pings the server (XEP-0199); <see cref="TimeSpan.Zero"/> disables keep-alive.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A keep-alive ping unanswered for this long declares the connection dead and reconnects.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Use XEP-0198 stream management when the server offers it.</summary>
    public bool StreamManagement { get; set; } = true;

    /// <summary>
    /// Resumption window asked of the server (XEP-0198 <c>max</c>) and honoured by the client.
    /// <see cref="TimeSpan.Zero"/> enables stream management without resumption: acknowledgements still tell which
    /// messages to send again on a new session, but the server ends a dropped session at once — so its contacts see
    /// <c>unavailable</c> within milliseconds of a crash instead of after the server's hibernation time.
    /// </summary>
    public TimeSpan ResumptionWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most stanzas held for XEP-0198 delivery (sent and not yet acknowledged, or queued while reconnecting).
    /// A send while reconnecting with this many held throws <see cref="XmppSendQueueFullException"/> instead of
    /// letting memory grow for as long as the server stays away.
    /// </summary>
    public int MaxQueuedStanzas { get; set; } = 10_000;

    /// <summary>
    /// The largest stanza this client sends, in UTF-8 bytes; a larger one throws <see cref="XmppStanzaTooLargeException"/>
    /// and is never queued. Default 250,000: under Prosody's and ejabberd's 256 KiB (262,144) default limits, which close
    /// the stream of a client that exceeds them.
    /// </summary>
    public int MaxOutboundStanzaBytes { get; set; } = DefaultMaxOutboundStanzaBytes;

    /// <summary>The default of <see cref="MaxOutboundStanzaBytes"/>.</summary>
    public const int DefaultMaxOutboundStanzaBytes = 250_000;

    /// <summary>First reconnect delay; doubled per failed attempt, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounded wait for the server's <c>&lt;/stream:stream&gt;</c> on shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Largest stanza accepted from the server, in bytes.</summary>
    public int MaxStanzaBytes { get; set; } = 256 * 1024;

    /// <summary>Features announced by the XEP-0030 disco#info responder, besides the client's own.</summary>
    public IList<string> DiscoFeatures { get; } = [];

    /// <summary>The disco#info identity (category <c>client</c>, this type and name).</summary>
    public string DiscoIdentityType { get; set; } = "bot";

    /// <summary>The disco#info identity name.</summary>
    public string DiscoIdentityName { get; set; } = "Actors";

    /// <summary>The servers to use: <see cref="Servers"/>, or <see cref="Host"/> (else the JID's domain) and <see cref="Port"/>.</summary>
    internal IReadOnlyList<XmppServerEndpoint> ResolveServers() =>
        Servers.Count > 0 ? [.. Servers] : [new XmppServerEndpoint(Host ?? Jid.Domain, Port)];
}
