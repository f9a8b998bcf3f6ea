using Actors.Contracts;
using Actors.Silo.Grains;
using Actors.Silo.Storage;
using Actors.XmppBridge.Bridge;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Actors.Silo.Hosting;

/// <summary>
/// Tells the XMPP bridge whether grain storage answers, by reading a state that is never written: a cheap round trip
/// to Redis (or memory) that fails when storage is unreachable, so presence goes <c>dnd</c> before writes fail.
/// </summary>
internal sealed class StorageHealthProbe(IServiceProvider services, ILocalSiloDetails silo) : IHealthProbe
{
    private readonly IGrainStorage _storage = services.GetRequiredKeyedService<IGrainStorage>(ActorsSiloExtensions.StorageName);

    public string Name => "storage";

    // With no Redis server connected the read would only wait out its timeout in the client's backlog (3 s per try,
    // twice): say so at once. A slow read while connected still gets its timeout and a second try (HealthProbeRound).
    public Task ProbeAsync(CancellationToken cancellationToken) =>
        _storage is ReplicatedRedisGrainStorage { AnyServerConnected: false }
            ? Task.FromException(new StorageUnavailableException("No Redis server of root storage is connected."))
            : _storage.ReadStateAsync("health", GrainId.Create("actors-health-probe", silo.Name), new GrainState<RootState>());
}
