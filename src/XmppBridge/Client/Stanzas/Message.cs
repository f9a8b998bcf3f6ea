using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>
/// A <c>&lt;message/&gt;</c> stanza (RFC 6121 §5), with helpers for XEP-0184 receipts and XEP-0359 origin-id.
/// </summary>
public sealed class Message : Stanza
{
    private static readonly XNamespace ReceiptsNs = XmppNamespaces.Receipts;
    private static readonly XNamespace SidNs = XmppNamespaces.StanzaId;

    /// <summary>Creates an empty message.</summary>
    public Message()
        : base(new XElement(ClientNs + "message"))
    {
    }

    /// <summary>Creates a message to <paramref name="to"/> with a body.</summary>
    public Message(Jid to, string? body, MessageType type = MessageType.Chat)
        : this()
    {
        To = to;
        Type = type;
        Body = body;
    }

    /// <summary>Wraps a received element.</summary>
    public Message(XElement element)
        : base(element)
    {
    }

    /// <summary>The message type; <c>normal</c> is written as no attribute.</summary>
    public MessageType Type
    {
        get => TypeName switch
        {
            "chat" => MessageType.Chat,
            "groupchat" => MessageType.GroupChat,
            "headline" => MessageType.Headline,
            "error" => MessageType.Error,
            _ => MessageType.Normal,
        };
        set => TypeName = value == MessageType.Normal ? null : value.ToString().ToLowerInvariant();
    }

    /// <summary>The first <c>&lt;body/&gt;</c>, or null.</summary>
    public string? Body
    {
        get => Element.Element(ClientNs + "body")?.Value;
        set => SetChild("body", value);
    }

    /// <summary>The <c>&lt;thread/&gt;</c>, or null.</summary>
    public string? Thread
    {
        get => Element.Element(ClientNs + "thread")?.Value;
        set => SetChild("thread", value);
    }

    /// <summary>XEP-0359 origin-id: a sender-chosen id that survives server rewrites of <c>id</c>.</summary>
    public string? OriginId
    {
        get => (string?)Element.Element(SidNs + "origin-id")?.Attribute("id");
        set
        {
            Element.Element(SidNs + "origin-id")?.Remove();
            if (value is not null)
            {
                Element.Add(new XElement(SidNs + "origin-id", new XAttribute("id", value)));
            }
        }
    }

    /// <summary>XEP-0184: true when the sender asks for a delivery receipt (<c>&lt;request/&gt;</c>).</summary>
    public bool ReceiptRequested
    {
        get => Element.Element(ReceiptsNs + "request") is not null;
        set
        {
            Element.Element(ReceiptsNs + "request")?.Remove();
            if (value)
            {
                Element.Add(new XElement(ReceiptsNs + "request"));
            }
        }
    }

    /// <summary>XEP-0184: the id acknowledged by a <c>&lt;received/&gt;</c> child, or null.</summary>
    public string? ReceiptFor => (string?)Element.Element(ReceiptsNs + "received")?.Attribute("id");

    /// <summary>
    /// XEP-0184 §5: builds the receipt for this message (same id in <c>&lt;received/&gt;</c>, sent back to the
    /// sender's full JID). Only answer when <see cref="ReceiptRequested"/> and the message has an id.
    /// </summary>
    /// <exception cref="InvalidOperationException">No receipt was requested, or the message has no id or sender.</exception>
    public Message CreateReceipt()
    {
        if (!ReceiptRequested || Id is null || From is null)
        {
            throw new InvalidOperationException("A receipt needs a message with an id, a sender and a receipt request.");
        }

        var receipt = new Message { To = From, Id = Guid.NewGuid().ToString("N"), Type = Type == MessageType.GroupChat ? MessageType.Normal : Type };
        receipt.Element.Add(new XElement(ReceiptsNs + "received", new XAttribute("id", Id)));
        return receipt;
    }

    private void SetChild(string name, string? value)
    {
        var existing = Element.Element(ClientNs + name);
        if (value is null)
        {
            existing?.Remove();
        }
        else if (existing is null)
        {
            Element.Add(new XElement(ClientNs + name, value));
        }
        else
        {
            existing.Value = value;
        }
    }
}
