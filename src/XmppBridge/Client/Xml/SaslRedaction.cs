using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Xml;

/// <summary>
/// What the trace log may show of the XML exchanged: SASL elements (<c>auth</c>, <c>challenge</c>, <c>response</c>,
/// <c>success</c>) lose their content. SCRAM never sends the password, but its messages carry the salt, nonces and the
/// client proof, which are enough for an offline guess at the password; PLAIN carries the password itself.
/// </summary>
internal static partial class SaslRedaction
{
    /// <summary>What replaces a SASL element's content.</summary>
    public const string Redacted = "[SASL payload redacted]";

    /// <summary><paramref name="xml"/> as sent, with the content of any SASL element replaced.</summary>
    public static string ForLog(string xml) =>
        xml.Contains(XmppNamespaces.Sasl, StringComparison.Ordinal) ? SaslContent().Replace(xml, "$1" + Redacted + "$2") : xml;

    /// <summary>A received element for the log: SASL elements without their content.</summary>
    public static string ForLog(XElement element) =>
        element.Name.NamespaceName == XmppNamespaces.Sasl && !element.IsEmpty
            ? $"<{element.Name.LocalName} xmlns='{XmppNamespaces.Sasl}'>{Redacted}</{element.Name.LocalName}>"
            : XmlStanzaWriter.ToXml(element);

    // <auth|response|challenge|success xmlns='…xmpp-sasl' …>content</…>: the text between the tags.
    [GeneratedRegex(@"(<(?:auth|response|challenge|success)\b[^>]*xmpp-sasl[^>]*>)[^<]*(</)", RegexOptions.CultureInvariant)]
    private static partial Regex SaslContent();
}
