using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure.Orleans;

using Actors.TestInfrastructure.Load;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// An Orleans client of the cluster under test, configured as <c>AddActorsClient()</c> configures apps, used only to
/// watch: membership (when is a killed silo declared dead, is every live silo Active) and where roots are active.
/// </summary>
internal sealed class ClusterMonitor(ActorsTestClient client) : IAsyncDisposable
{
    public static async Task<ClusterMonitor> StartAsync(ActorsClusterOptions options, CancellationToken cancellationToken)
        => new(await ActorsTestClient.StartAsync(options, cancellationToken));

    /// <summary>Every silo in the membership table with its status, or null if the cluster did not answer in time.</summary>
    public async Task<Dictionary<SiloAddress, SiloStatus>?> TryGetHostsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Management.GetHosts(onlyActive: false).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A silo just died or Redis restarts: "no answer yet" for the caller's polling loop.
            return null;
        }
    }

    /// <summary>The silo <paramref name="root"/> is active on, or null if the cluster did not answer in time.</summary>
    public async Task<RootLocation?> TryLocateAsync(RootId root, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Root(root).GetLocationAsync().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
