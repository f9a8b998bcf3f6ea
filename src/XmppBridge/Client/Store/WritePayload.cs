using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;write xmlns="urn:actors:1" root=".." op=".." if-version=".."&gt;json&lt;/write&gt;</c>: one write, in a
/// message or an IQ of type set (docs/xmpp-bridge.md, Writing). The same class builds the element the writer sends
/// and reads the element the bridge receives.
/// </summary>
/// <param name="Root">The root written, <c>type/id</c>.</param>
/// <param name="Op">What the write does.</param>
/// <param name="Json">The body as JSON text: an object or array as the op needs, null for an op without a body.</param>
/// <param name="IfVersion">Apply only when the root is at this version.</param>
public sealed record WritePayload(RootId Root, WriteOp Op, string? Json, long? IfVersion = null)
{
    /// <summary>The element, with the JSON as its only text.</summary>
    public XElement ToElement()
    {
        var write = new XElement(ActorsXml.Write, new XAttribute("root", Root.ToString()), new XAttribute("op", Op.ToWireName()));
        if (IfVersion is { } version)
        {
            write.Add(new XAttribute("if-version", version.ToString(CultureInfo.InvariantCulture)));
        }

        if (Json is not null)
        {
            write.Add(Json);
        }

        return write;
    }

    /// <summary>
    /// Reads a <c>&lt;write/&gt;</c>. The JSON is the element's own text; child elements are refused (their text would
    /// otherwise be taken for the JSON), as are an unknown op, a malformed root or if-version.
    /// </summary>
    public static bool TryParse(XElement write, [NotNullWhen(true)] out WritePayload? payload, [NotNullWhen(false)] out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(write);
        payload = null;
        if (!RootId.TryParse((string?)write.Attribute("root"), out var root, out var rootError))
        {
            error = ActorsError.InvalidRootId(rootError);
            return false;
        }

        var opName = (string?)write.Attribute("op");
        if (!WriteOps.TryParse(opName, out var op))
        {
            error = ActorsError.InvalidCommand($"op '{opName}' is not a write: use op=\"{string.Join("\", \"", WriteOps.All.Select(o => o.Name))}\"");
            return false;
        }

        long? ifVersion = null;
        if ((string?)write.Attribute("if-version") is { } ifText)
        {
            if (!long.TryParse(ifText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                error = ActorsError.InvalidCommand($"if-version '{ifText}' must be a non-negative integer version");
                return false;
            }

            ifVersion = parsed;
        }

        if (write.Elements().FirstOrDefault() is { } child)
        {
            error = ActorsError.InvalidCommand(
                $"the JSON goes as the text of <write/> itself, but it holds an element <{child.Name.LocalName}/>; send the JSON as text (escape < and & as &lt; and &amp;, or use CDATA)");
            return false;
        }

        // Only text and CDATA remain (comments and processing instructions never reach a stanza).
        var json = string.Concat(write.Nodes().OfType<XText>().Select(t => t.Value));
        var body = op.Value.Describe().Body == WriteBody.None && string.IsNullOrWhiteSpace(json) ? null : json;
        payload = new WritePayload(root, op.Value, body, ifVersion);
        error = null;
        return true;
    }
}
