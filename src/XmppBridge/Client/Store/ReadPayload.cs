using System.Diagnostics.CodeAnalysis;
using System.Xml.Linq;
using Actors.Contracts;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;read xmlns="urn:actors:1" root=".." path=".."/&gt;</c> in an IQ of type get: read a document, or the part at a
/// JSON Pointer (docs/xmpp-bridge.md, Reading).
/// </summary>
/// <param name="Root">The root to read.</param>
/// <param name="Path">A JSON Pointer into the document; null for the whole document.</param>
public sealed record ReadPayload(RootId Root, string? Path = null)
{
    /// <summary>The element.</summary>
    public XElement ToElement()
    {
        var read = new XElement(ActorsXml.Read, new XAttribute("root", Root.ToString()));
        if (!string.IsNullOrEmpty(Path))
        {
            read.Add(new XAttribute("path", Path));
        }

        return read;
    }

    /// <summary>Reads a <c>&lt;read/&gt;</c>; an empty path means the whole document.</summary>
    public static bool TryParse(XElement read, [NotNullWhen(true)] out ReadPayload? payload, [NotNullWhen(false)] out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!RootId.TryParse((string?)read.Attribute("root"), out var root, out var rootError))
        {
            payload = null;
            error = ActorsError.InvalidRootId(rootError);
            return false;
        }

        var path = (string?)read.Attribute("path");
        payload = new ReadPayload(root, string.IsNullOrEmpty(path) ? null : path);
        error = null;
        return true;
    }
}
