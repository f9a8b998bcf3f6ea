using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;written xmlns="urn:actors:1" root=".." version=".." duplicate=".."/&gt;</c>: a write is durable. It travels
/// with the XEP-0184 receipt of a message write and in the result of an IQ write (docs/xmpp-bridge.md).
/// </summary>
/// <param name="Root">The root written.</param>
/// <param name="Version">The root's version after the write (of the tombstone for a delete).</param>
/// <param name="Duplicate">True when the write id had been applied before and nothing changed now.</param>
public sealed record WrittenPayload(string Root, long Version, bool Duplicate)
{
    /// <summary>The payload for a successful grain result.</summary>
    public static WrittenPayload From(WriteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new WrittenPayload(result.Root, result.Version, result.Duplicate);
    }

    /// <summary>The element.</summary>
    public XElement ToElement() =>
        new(ActorsXml.Written,
            new XAttribute("root", Root),
            new XAttribute("version", Version.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("duplicate", Duplicate ? "true" : "false"));

    /// <summary>Finds and reads the <c>&lt;written/&gt;</c> child of <paramref name="parent"/> (a message or an IQ).</summary>
    public static bool TryFind(XElement parent, [NotNullWhen(true)] out WrittenPayload? written)
    {
        ArgumentNullException.ThrowIfNull(parent);
        written = null;
        if (parent.Element(ActorsXml.Written) is not { } element
            || (string?)element.Attribute("root") is not { } root
            || !long.TryParse((string?)element.Attribute("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        written = new WrittenPayload(root, version, (string?)element.Attribute("duplicate") == "true");
        return true;
    }
}
