using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;agent xmlns="urn:actors:1" machine cpu memory-mb disk-free-mb silos gateways/&gt;</c>: the extension a machine
/// agent's presence carries (DESIGN §9, docs/agent.md). The agent writes it and any client reads it with this one codec.
/// </summary>
/// <param name="Machine">The machine's name.</param>
/// <param name="CpuPercent">The machine's CPU use in percent (all cores), when known.</param>
/// <param name="MemoryMb">Memory in use on the machine in MiB (total minus available), when known.</param>
/// <param name="DiskFreeMb">Free space in MiB where the agent keeps its logs, when known.</param>
/// <param name="Silos">Silos running or starting on the machine.</param>
/// <param name="Gateways">Gateways running or starting on the machine.</param>
public sealed record AgentPayload(string Machine, int? CpuPercent, long? MemoryMb, long? DiskFreeMb, int Silos, int Gateways)
{
    /// <summary>The element.</summary>
    public XElement ToElement()
    {
        var agent = new XElement(ActorsXml.Agent, new XAttribute("machine", Machine));
        if (CpuPercent is { } cpu)
        {
            agent.Add(new XAttribute("cpu", cpu.ToString(CultureInfo.InvariantCulture)));
        }

        if (MemoryMb is { } memory)
        {
            agent.Add(new XAttribute("memory-mb", memory.ToString(CultureInfo.InvariantCulture)));
        }

        if (DiskFreeMb is { } disk)
        {
            agent.Add(new XAttribute("disk-free-mb", disk.ToString(CultureInfo.InvariantCulture)));
        }

        agent.Add(
            new XAttribute("silos", Silos.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("gateways", Gateways.ToString(CultureInfo.InvariantCulture)));
        return agent;
    }

    /// <summary>Finds and reads the <c>&lt;agent/&gt;</c> child of a presence; false when it has none.</summary>
    public static bool TryFind(XElement presence, [NotNullWhen(true)] out AgentPayload? agent)
    {
        ArgumentNullException.ThrowIfNull(presence);
        agent = null;
        if (presence.Element(ActorsXml.Agent) is not { } element)
        {
            return false;
        }

        agent = new AgentPayload(
            (string?)element.Attribute("machine") ?? "",
            (int?)Long(element, "cpu"),
            Long(element, "memory-mb"),
            Long(element, "disk-free-mb"),
            (int)(Long(element, "silos") ?? 0),
            (int)(Long(element, "gateways") ?? 0));
        return true;
    }

    private static long? Long(XElement element, string name) =>
        long.TryParse((string?)element.Attribute(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue * 1024L ? value : null;
}
