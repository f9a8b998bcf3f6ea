using System.Collections.Immutable;
using Actors.Contracts;

namespace Actors.Silo.Grains;

/// <summary>In-memory registry of what each silo's XMPP bridge publishes; see <see cref="ISiloPresenceRegistryGrain"/>.</summary>
internal sealed class SiloPresenceRegistryGrain : Grain, ISiloPresenceRegistryGrain
{
    private readonly Dictionary<string, SiloXmppPresence> _bySilo = new(StringComparer.Ordinal);

    public Task ReportAsync(SiloXmppPresence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        _bySilo[presence.SiloAddress] = presence;
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<SiloXmppPresence>> GetAllAsync()
    {
        var oldest = DateTime.UtcNow - 3 * SiloXmppPresence.ReportInterval;
        foreach (var stale in _bySilo.Values.Where(p => p.ReportedAtUtc < oldest).ToList())
        {
            _bySilo.Remove(stale.SiloAddress);
        }
        return Task.FromResult(_bySilo.Values.ToImmutableArray());
    }
}
