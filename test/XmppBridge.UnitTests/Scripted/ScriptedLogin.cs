using System.Text;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.UnitTests.Scripted;

/// <summary>
/// The recorded server side of a login: features, SCRAM-SHA-256, stream restart, bind, roster and
/// (optionally) XEP-0198 — asserting on each element the client sends.
/// </summary>
internal static class ScriptedLogin
{
    public const string Password = "scripted-password";

    private static readonly XNamespace SaslNs = XmppNamespaces.Sasl;
    private static readonly XNamespace BindNs = XmppNamespaces.Bind;
    private static readonly XNamespace SmNs = XmppNamespaces.StreamManagement;
    private static readonly XNamespace ClientNs = XmppNamespaces.Client;

    /// <summary>Stream features up to SASL: all three mechanisms, so the client must pick SCRAM-SHA-256.</summary>
    public const string SaslFeatures =
        "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism><mechanism>SCRAM-SHA-256</mechanism></mechanisms>";

    public static string SessionFeatures(bool streamManagement) =>
        "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>" + (streamManagement ? "<sm xmlns='urn:xmpp:sm:3'/>" : string.Empty);

    /// <summary>SASL SCRAM-SHA-256 then the restarted stream's features; returns the client's second stream header.</summary>
    public static async Task<XElement> AuthenticateAsync(ScriptedPeer peer, bool streamManagement, CancellationToken cancellationToken)
    {
        var header = await peer.OpenStreamAsync(SaslFeatures, cancellationToken);
        ((string?)header.Attribute("to")).Should().Be(ScriptedPeer.Domain);

        var auth = await peer.ReadStanzaAsync(cancellationToken);
        auth.Name.Should().Be(SaslNs + "auth");
        ((string?)auth.Attribute("mechanism")).Should().Be("SCRAM-SHA-256", "the strongest offered mechanism wins");
        var scram = new ScramServer(Password);
        var serverFirst = scram.Challenge(Decode(auth.Value));
        scram.User.Should().Be("alice");
        await peer.SendAsync($"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Encode(serverFirst)}</challenge>", cancellationToken);

        var response = await peer.ReadStanzaAsync(cancellationToken);
        response.Name.Should().Be(SaslNs + "response");
        var serverFinal = scram.Verify(Decode(response.Value));
        peer.ExpectStreamRestart();
        await peer.SendAsync($"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Encode(serverFinal)}</success>", cancellationToken);

        return await peer.OpenStreamAsync(SessionFeatures(streamManagement), cancellationToken);
    }

    /// <summary>Answers the bind and roster requests of a fresh session; returns the bound full JID.</summary>
    public static async Task<string> BindAsync(ScriptedPeer peer, CancellationToken cancellationToken)
    {
        var bind = await peer.ReadStanzaAsync(cancellationToken);
        bind.Name.Should().Be(ClientNs + "iq");
        ((string?)bind.Attribute("type")).Should().Be("set");
        (bind.Element(BindNs + "bind")?.Element(BindNs + "resource")?.Value).Should().Be("desk", "the configured resource is requested");
        const string jid = "alice@example.org/desk";
        await peer.SendAsync($"<iq type='result' id='{(string?)bind.Attribute("id")}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>{jid}</jid></bind></iq>", cancellationToken);

        var roster = await peer.ReadStanzaAsync(cancellationToken);
        roster.Element(XName.Get("query", XmppNamespaces.Roster)).Should().NotBeNull("the client fetches the roster on every fresh session");
        ((string?)roster.Attribute("type")).Should().Be("get");
        await peer.SendAsync($"<iq type='result' id='{(string?)roster.Attribute("id")}'><query xmlns='jabber:iq:roster'/></iq>", cancellationToken);
        return jid;
    }

    /// <summary>Answers <c>&lt;enable/&gt;</c> with a resumable session <paramref name="id"/>.</summary>
    public static async Task EnableStreamManagementAsync(ScriptedPeer peer, string id, CancellationToken cancellationToken)
    {
        var enable = await peer.ReadStanzaAsync(cancellationToken);
        enable.Name.Should().Be(SmNs + "enable");
        ((string?)enable.Attribute("resume")).Should().Be("true");
        await peer.SendAsync($"<enabled xmlns='urn:xmpp:sm:3' id='{id}' resume='true' max='5'/>", cancellationToken);
    }

    /// <summary>The whole login of a fresh session.</summary>
    public static async Task LoginAsync(ScriptedPeer peer, bool streamManagement, CancellationToken cancellationToken, string smId = "sm-1")
    {
        await AuthenticateAsync(peer, streamManagement, cancellationToken);
        await BindAsync(peer, cancellationToken);
        if (streamManagement)
        {
            await EnableStreamManagementAsync(peer, smId, cancellationToken);
        }
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
}
