using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>One reading of this silo's health and load: what presence shows.</summary>
/// <param name="Show">Available (none), away (joining, draining) or dnd (degraded).</param>
/// <param name="Status">Orleans' status word, or <c>Draining</c> / <c>Degraded (…)</c>.</param>
/// <param name="OrleansStatus">The silo's Orleans status (<c>Active</c>, <c>Joining</c>, …).</param>
/// <param name="Activations">Grain activations on this silo, or null before the first reading.</param>
/// <param name="CpuPercent">CPU use in percent, or null.</param>
/// <param name="MemoryMb">Memory use in MiB, or null.</param>
/// <param name="ClusterSize">Active silos in the cluster.</param>
internal sealed record SiloHealth(PresenceShow Show, string Status, string OrleansStatus, int? Activations, int? CpuPercent, long? MemoryMb, int ClusterSize);
