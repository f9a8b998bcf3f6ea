using System.Globalization;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>Builds the write stanzas of docs/xmpp-bridge.md for tests.</summary>
internal static class WriteStanzas
{
    public static readonly XNamespace Actors = "urn:actors:1";

    public static Message Write(Jid to, string root, string op, string? json, long? ifVersion = null, string? id = null, string? originId = null, bool receipt = true)
    {
        var write = new XElement(Actors + "write", new XAttribute("root", root), new XAttribute("op", op));
        if (ifVersion is { } v)
        {
            write.Add(new XAttribute("if-version", v.ToString(CultureInfo.InvariantCulture)));
        }

        if (json is not null)
        {
            write.Add(json);
        }

        var message = new Message { To = to, Id = id ?? Guid.NewGuid().ToString("N"), ReceiptRequested = receipt, OriginId = originId };
        message.Element.Add(write);
        return message;
    }

    public static XElement? Written(Message reply) => reply.Element.Element(Actors + "written");

    public static string UniqueRoot(string type = "topic") => $"{type}/{Guid.NewGuid():N}";
}
