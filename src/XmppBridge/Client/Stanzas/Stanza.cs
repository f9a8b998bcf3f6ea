using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>
/// Base of the three stanza kinds (RFC 6120 §8). The wrapped <see cref="Element"/> is the single source
/// of truth: typed properties read and write it, so extension payloads survive untouched.
/// </summary>
public abstract class Stanza
{
    /// <summary>The <c>jabber:client</c> namespace stanzas live in.</summary>
    protected static readonly XNamespace ClientNs = XmppNamespaces.Client;

    /// <summary>Wraps an existing element.</summary>
    protected Stanza(XElement element) => Element = element;

    /// <summary>The underlying XML element (in the <c>jabber:client</c> namespace).</summary>
    public XElement Element { get; }

    /// <summary>The <c>id</c> attribute.</summary>
    public string? Id
    {
        get => (string?)Element.Attribute("id");
        set => Element.SetAttributeValue("id", value);
    }

    /// <summary>The <c>to</c> attribute.</summary>
    public Jid? To
    {
        get => Jid.TryParse((string?)Element.Attribute("to"), out var j) ? j : null;
        set => Element.SetAttributeValue("to", value?.ToString());
    }

    /// <summary>The <c>from</c> attribute (stamped by the server on what we receive).</summary>
    public Jid? From
    {
        get => Jid.TryParse((string?)Element.Attribute("from"), out var j) ? j : null;
        set => Element.SetAttributeValue("from", value?.ToString());
    }

    /// <summary>The raw <c>type</c> attribute.</summary>
    public string? TypeName
    {
        get => (string?)Element.Attribute("type");
        set => Element.SetAttributeValue("type", value);
    }

    /// <summary>The stanza error, when <c>type="error"</c>.</summary>
    public StanzaError? Error =>
        TypeName == "error" && Element.Element(ClientNs + "error") is { } e ? StanzaError.FromElement(e) : null;

    /// <summary>Wraps a received element in the matching typed stanza, or returns null for non-stanzas.</summary>
    public static Stanza? FromElement(XElement element)
    {
        if (element.Name.Namespace != ClientNs)
        {
            return null;
        }

        return element.Name.LocalName switch
        {
            "message" => new Message(element),
            "presence" => new Presence(element),
            "iq" => new Iq(element),
            _ => null,
        };
    }

    /// <summary>The wire form, for logs and tests.</summary>
    public override string ToString() => XmlStanzaWriter.ToXml(Element);
}
