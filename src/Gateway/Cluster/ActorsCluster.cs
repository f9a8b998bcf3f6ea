using Actors.Contracts;

namespace Actors.Gateway.Cluster;

/// <summary>The gateway's only way to reach grains: refuses with <see cref="ClusterNotConnectedException"/> while not connected.</summary>
internal sealed class ActorsCluster(IClusterClient client, ClusterConnection connection, SiloConnectionWatch watch)
{
    /// <summary>True once the Orleans client is connected.</summary>
    public bool IsConnected => connection.IsConnected;

    /// <summary>The grain of <paramref name="root"/>.</summary>
    public IRootGrain Root(RootId root)
    {
        connection.EnsureConnected();
        return client.GetRoot(root);
    }

    /// <summary>
    /// Calls the grain of <paramref name="root"/>, giving up with <see cref="SiloConnectionLostException"/> as soon as
    /// a silo connection is lost while the call is in flight, instead of after Orleans' response timeout.
    /// </summary>
    public Task<T> CallAsync<T>(RootId root, Func<IRootGrain, Task<T>> call) => CallAsync(() => call(Root(root)));

    /// <summary>Runs a query on whichever silo takes it, as <see cref="CallAsync{T}(RootId, Func{IRootGrain, Task{T}})"/> does for a root.</summary>
    public Task<T> QueryAsync<T>(Func<IRootQueryGrain, Task<T>> call) => CallAsync(() =>
    {
        connection.EnsureConnected();
        return call(client.GetGrain<IRootQueryGrain>(0));
    });

    /// <summary>Calls the grain of index <paramref name="name"/> of <paramref name="type"/>, as <see cref="CallAsync{T}(RootId, Func{IRootGrain, Task{T}})"/> does for a root.</summary>
    public Task<T> IndexAsync<T>(string type, string name, Func<IIndexGrain, Task<T>> call) => CallAsync(() =>
    {
        connection.EnsureConnected();
        return call(client.GetIndex(type, name));
    });

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        // Read before the call starts, so a loss between sending and waiting still counts.
        var lost = watch.ConnectionLost;
        try
        {
            return await call().WaitAsync(lost);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // The abandoned call may still complete; a write's retry then comes back as a duplicate.
            throw new SiloConnectionLostException();
        }
    }

    /// <summary>The registry where silos' XMPP bridges report their JID and presence.</summary>
    public ISiloPresenceRegistryGrain PresenceRegistry()
    {
        connection.EnsureConnected();
        return client.GetGrain<ISiloPresenceRegistryGrain>(ISiloPresenceRegistryGrain.Key);
    }

    /// <summary>The cluster's management grain.</summary>
    public IManagementGrain Management()
    {
        connection.EnsureConnected();
        return client.GetGrain<IManagementGrain>(0);
    }
}
