using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;document xmlns="urn:actors:1" root=".." version=".."&gt;json&lt;/document&gt;</c>: the answer to a
/// <see cref="ReadPayload"/> (docs/xmpp-bridge.md, Reading).
/// </summary>
/// <param name="Root">The root read.</param>
/// <param name="Version">Its version.</param>
/// <param name="Json">The document, or the part at the requested pointer, as compact JSON.</param>
public sealed record DocumentPayload(string Root, long Version, string Json)
{
    /// <summary>The payload for a successful grain read.</summary>
    public static DocumentPayload From(ReadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DocumentPayload(result.Root, result.Version, result.Json ?? "null");
    }

    /// <summary>The element.</summary>
    public XElement ToElement() =>
        new(ActorsXml.Document, new XAttribute("root", Root), new XAttribute("version", Version.ToString(CultureInfo.InvariantCulture)), Json);

    /// <summary>Reads a <c>&lt;document/&gt;</c> element.</summary>
    public static bool TryParse(XElement? document, [NotNullWhen(true)] out DocumentPayload? payload)
    {
        payload = null;
        if (document is null || document.Name != ActorsXml.Document
            || (string?)document.Attribute("root") is not { } root
            || !long.TryParse((string?)document.Attribute("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        payload = new DocumentPayload(root, version, document.Value);
        return true;
    }
}
