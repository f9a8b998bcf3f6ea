using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;gateway xmlns="urn:actors:1" name url rps/&gt;</c>: the extension a gateway's presence carries (DESIGN §9).
/// The gateway writes it and any client reads it with this one codec.
/// </summary>
/// <param name="Name">The gateway's name (its XMPP resource).</param>
/// <param name="Url">Where clients reach the gateway's HTTP API; empty when not configured.</param>
/// <param name="RequestsPerSecond">HTTP requests per second over the last sampling interval, rounded.</param>
public sealed record GatewayPayload(string Name, string Url, int RequestsPerSecond)
{
    /// <summary>The element.</summary>
    public XElement ToElement() => new(ActorsXml.Gateway,
        new XAttribute("name", Name),
        new XAttribute("url", Url),
        new XAttribute("rps", RequestsPerSecond.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Finds and reads the <c>&lt;gateway/&gt;</c> child of a presence; false when it has none.</summary>
    public static bool TryFind(XElement presence, [NotNullWhen(true)] out GatewayPayload? gateway)
    {
        ArgumentNullException.ThrowIfNull(presence);
        gateway = null;
        if (presence.Element(ActorsXml.Gateway) is not { } element)
        {
            return false;
        }

        var rps = int.TryParse((string?)element.Attribute("rps"), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        gateway = new GatewayPayload((string?)element.Attribute("name") ?? "", (string?)element.Attribute("url") ?? "", rps);
        return true;
    }
}
