namespace Actors.XmppBridge.Client.Xml;

/// <summary>Namespace names used on the wire (RFC 6120/6121 and the XEPs we speak).</summary>
internal static class XmppNamespaces
{
    public const string Client = "jabber:client";
    public const string Stream = "http://etherx.jabber.org/streams";
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";
    public const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public const string Roster = "jabber:iq:roster";
    public const string DiscoInfo = "http://jabber.org/protocol/disco#info";
    public const string DiscoItems = "http://jabber.org/protocol/disco#items";
    public const string Commands = "http://jabber.org/protocol/commands";
    public const string DataForms = "jabber:x:data";
    public const string Ping = "urn:xmpp:ping";
    public const string Receipts = "urn:xmpp:receipts";
    public const string StanzaId = "urn:xmpp:sid:0";
    public const string StreamManagement = "urn:xmpp:sm:3";
    public const string Xml = "http://www.w3.org/XML/1998/namespace";
}
