using Actors.XmppBridge.Client.Store;
using System.Globalization;
using System.Xml.Linq;

namespace Actors.XmppBridge.Bridge;

/// <summary>Turns a <see cref="SiloHealth"/> into the presence <c>&lt;status/&gt;</c> line and the <c>&lt;silo/&gt;</c> payload.</summary>
internal static class PresenceFormatter
{
    // Invariant formatting groups thousands with commas: 1,204 activations.
    private static readonly CultureInfo Numbers = CultureInfo.InvariantCulture;

    /// <summary>One human line, e.g. <c>Active · 1,204 activations · CPU 12% · 3 silos</c>.</summary>
    public static string StatusLine(SiloHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        var parts = new List<string> { health.Status };
        if (health.Activations is { } activations)
        {
            parts.Add(string.Create(Numbers, $"{activations:N0} activation{(activations == 1 ? "" : "s")}"));
        }

        if (health.CpuPercent is { } cpu)
        {
            parts.Add(string.Create(Numbers, $"CPU {cpu}%"));
        }

        parts.Add(string.Create(Numbers, $"{health.ClusterSize} silo{(health.ClusterSize == 1 ? "" : "s")}"));
        return string.Join(" · ", parts);
    }

    /// <summary>The <c>&lt;silo xmlns="urn:actors:1" …/&gt;</c> extension of every silo's presence.</summary>
    public static XElement SiloElement(SiloHealth health, string name, string? address, string version)
    {
        ArgumentNullException.ThrowIfNull(health);
        return new SiloPayload(name, address, health.OrleansStatus, health.Activations, health.CpuPercent, health.MemoryMb, health.ClusterSize, version).ToElement();
    }
}
