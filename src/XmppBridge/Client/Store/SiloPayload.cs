using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;silo xmlns="urn:actors:1" name address status activations cpu memory-mb cluster-size version/&gt;</c>: the
/// extension every silo's presence carries (docs/xmpp-bridge.md, Presence).
/// </summary>
/// <param name="Name">The silo's Orleans name.</param>
/// <param name="Address">The silo's Orleans address.</param>
/// <param name="Status">The Orleans status, e.g. <c>Active</c>.</param>
/// <param name="Activations">Grain activations, when known.</param>
/// <param name="CpuPercent">CPU use in percent, when known.</param>
/// <param name="MemoryMb">Memory use in MiB, when known.</param>
/// <param name="ClusterSize">Silos the silo sees active.</param>
/// <param name="Version">The silo's software version.</param>
public sealed record SiloPayload(string Name, string? Address, string Status, int? Activations, int? CpuPercent, long? MemoryMb, int ClusterSize, string Version)
{
    /// <summary>The longest silo name a receiver takes from presence; longer ones are ignored (docs/security.md).</summary>
    internal const int MaxNameLength = 128;

    /// <summary>
    /// The longest address a receiver takes from presence: an Orleans address (<c>S[IPv6]:port:generation</c>) stays
    /// well below it.
    /// </summary>
    internal const int MaxAddressLength = 128;

    /// <summary>
    /// Reads the name and address of an available presence's <c>&lt;silo/&gt;</c> payload, for the silos' directory
    /// and crash hints; false when there is none, the name is empty, or either is longer than its cap.
    /// </summary>
    internal static bool TryReadIdentity(XElement presence, [NotNullWhen(true)] out string? name, out string? address)
    {
        ArgumentNullException.ThrowIfNull(presence);
        name = null;
        address = null;
        if (presence.Element(ActorsXml.Silo) is not { } silo
            || (string?)silo.Attribute("name") is not { Length: > 0 and <= MaxNameLength } siloName
            || (string?)silo.Attribute("address") is { Length: > MaxAddressLength })
        {
            return false;
        }

        name = siloName;
        address = (string?)silo.Attribute("address");
        return true;
    }

    /// <summary>The element.</summary>
    public XElement ToElement()
    {
        var silo = new XElement(ActorsXml.Silo, new XAttribute("name", Name));
        if (Address is not null)
        {
            silo.Add(new XAttribute("address", Address));
        }

        silo.Add(new XAttribute("status", Status));
        if (Activations is { } activations)
        {
            silo.Add(new XAttribute("activations", activations.ToString(CultureInfo.InvariantCulture)));
        }

        if (CpuPercent is { } cpu)
        {
            silo.Add(new XAttribute("cpu", cpu.ToString(CultureInfo.InvariantCulture)));
        }

        if (MemoryMb is { } memory)
        {
            silo.Add(new XAttribute("memory-mb", memory.ToString(CultureInfo.InvariantCulture)));
        }

        silo.Add(new XAttribute("cluster-size", ClusterSize.ToString(CultureInfo.InvariantCulture)), new XAttribute("version", Version));
        return silo;
    }

    /// <summary>Finds and reads the <c>&lt;silo/&gt;</c> child of a presence; false when it has none.</summary>
    public static bool TryFind(XElement presence, [NotNullWhen(true)] out SiloPayload? silo)
    {
        ArgumentNullException.ThrowIfNull(presence);
        silo = null;
        if (presence.Element(ActorsXml.Silo) is not { } element)
        {
            return false;
        }

        silo = new SiloPayload(
            (string?)element.Attribute("name") ?? "",
            (string?)element.Attribute("address"),
            (string?)element.Attribute("status") ?? "",
            Int((string?)element.Attribute("activations")),
            Int((string?)element.Attribute("cpu")),
            long.TryParse((string?)element.Attribute("memory-mb"), NumberStyles.None, CultureInfo.InvariantCulture, out var memory) ? memory : null,
            Int((string?)element.Attribute("cluster-size")) ?? 0,
            (string?)element.Attribute("version") ?? "");
        return true;
    }

    private static int? Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
