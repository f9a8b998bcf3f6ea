using Actors.Contracts;

namespace Actors.Gateway.Cluster;

/// <summary>The gateway's only way to reach grains: refuses with <see cref="ClusterNotConnectedException"/> while not connected.</summary>
internal sealed class ActorsCluster(IClusterClient client, ClusterConnection connection)
{
    /// <summary>True once the Orleans client is connected.</summary>
    public bool IsConnected => connection.IsConnected;

    /// <summary>The grain of <paramref name="root"/>.</summary>
    public IRootGrain Root(RootId root)
    {
        connection.EnsureConnected();
        return client.GetRoot(root);
    }

    /// <summary>The cluster's management grain.</summary>
    public IManagementGrain Management()
    {
        connection.EnsureConnected();
        return client.GetGrain<IManagementGrain>(0);
    }
}
