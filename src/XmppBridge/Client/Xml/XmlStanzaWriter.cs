using System.Text;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Xml;

/// <summary>
/// Serialises elements for the wire. Elements inherit the stream's default namespace
/// (<c>jabber:client</c>), so stanzas are written without a redundant <c>xmlns</c>; any other
/// namespace is declared as a default namespace where it starts, never with generated element prefixes.
/// </summary>
/// <remarks>
/// Escaping follows XML 1.0: <c>&amp; &lt; &gt;</c> in text, plus the quote and the whitespace
/// characters in attribute values (so attribute-value normalisation on the peer gives back the
/// same string). Characters XML cannot carry (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
/// are rejected with <see cref="ArgumentException"/> instead of producing a stream the server would close.
/// </remarks>
internal static class XmlStanzaWriter
{
    /// <summary>Writes <paramref name="element"/> as if inside a stream whose default namespace is <paramref name="defaultNamespace"/>.</summary>
    public static string ToXml(XElement element, string defaultNamespace = XmppNamespaces.Client)
    {
        var sb = new StringBuilder(256);
        Write(sb, element, defaultNamespace);
        return sb.ToString();
    }

    /// <summary>Appends the serialised <paramref name="element"/> to <paramref name="sb"/>.</summary>
    public static void Write(StringBuilder sb, XElement element, string defaultNamespace = XmppNamespaces.Client)
    {
        var ns = element.Name.NamespaceName;
        var local = element.Name.LocalName;
        sb.Append('<').Append(local);
        if (ns != defaultNamespace)
        {
            sb.Append(" xmlns=\"");
            EscapeAttribute(sb, ns);
            sb.Append('"');
        }

        var prefixCount = 0;
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
            {
                continue;
            }

            var attrNs = attribute.Name.NamespaceName;
            sb.Append(' ');
            if (attrNs.Length == 0)
            {
                sb.Append(attribute.Name.LocalName);
            }
            else if (attrNs == XmppNamespaces.Xml)
            {
                sb.Append("xml:").Append(attribute.Name.LocalName);
            }
            else
            {
                var prefix = "a" + prefixCount++;
                sb.Append("xmlns:").Append(prefix).Append("=\"");
                EscapeAttribute(sb, attrNs);
                sb.Append("\" ").Append(prefix).Append(':').Append(attribute.Name.LocalName);
            }

            sb.Append("=\"");
            EscapeAttribute(sb, attribute.Value);
            sb.Append('"');
        }

        if (element.IsEmpty || !element.Nodes().Any())
        {
            sb.Append("/>");
            return;
        }

        sb.Append('>');
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    Write(sb, child, ns);
                    break;
                case XText text:
                    EscapeText(sb, text.Value);
                    break;
                default:
                    // Comments and processing instructions are restricted XML (RFC 6120 §11.1): never sent.
                    break;
            }
        }

        sb.Append("</").Append(local).Append('>');
    }

    /// <summary>Escapes character data.</summary>
    public static void EscapeText(StringBuilder sb, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\r': sb.Append("&#13;"); break;
                default:
                    i = AppendChecked(sb, text, i);
                    break;
            }
        }
    }

    /// <summary>Escapes an attribute value written between double quotes.</summary>
    public static void EscapeAttribute(StringBuilder sb, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\t': sb.Append("&#9;"); break;
                case '\n': sb.Append("&#10;"); break;
                case '\r': sb.Append("&#13;"); break;
                default:
                    i = AppendChecked(sb, value, i);
                    break;
            }
        }
    }

    private static int AppendChecked(StringBuilder sb, string s, int i)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
            {
                throw new ArgumentException("A lone surrogate cannot be sent in XML.", nameof(s));
            }

            sb.Append(c).Append(s[i + 1]);
            return i + 1;
        }

        if (char.IsLowSurrogate(c) || !XmlStreamParser.IsXmlChar(c))
        {
            throw new ArgumentException($"Character U+{(int)c:X4} cannot be sent in XML.", nameof(s));
        }

        sb.Append(c);
        return i;
    }
}
