using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Actors.Contracts;

/// <summary>
/// Where the gateway learns each silo's XMPP identity and presence for <c>GET /v1/cluster</c>: every silo's XMPP bridge
/// reports what it publishes, on every change and at least every <see cref="SiloXmppPresence.ReportInterval"/>.
/// </summary>
/// <remarks>
/// One grain for the cluster (key <see cref="Key"/>), in memory only: if its silo dies, the next round of reports
/// (within one interval) fills it again. Entries not refreshed for three intervals are dropped.
/// </remarks>
public interface ISiloPresenceRegistryGrain : IGrainWithStringKey
{
    /// <summary>The key of the cluster's one registry.</summary>
    public const string Key = "cluster";

    /// <summary>Records what a silo's bridge last published.</summary>
    Task ReportAsync(SiloXmppPresence presence);

    /// <summary>Every silo's last report that is still fresh.</summary>
    [ReadOnly]
    Task<ImmutableArray<SiloXmppPresence>> GetAllAsync();
}
