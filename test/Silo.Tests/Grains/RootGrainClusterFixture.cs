using Actors.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Actors.Silo.Tests.Grains;

/// <summary>
/// An in-process Orleans test cluster (one silo) with the root grains on a storage whose writes tests can fail.
/// </summary>
public sealed class RootGrainClusterFixture : IAsyncLifetime
{
    public FlakyGrainStorage Storage { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
            silo.Services.AddKeyedSingleton<IGrainStorage>(ActorsSiloExtensions.StorageName, Storage));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
