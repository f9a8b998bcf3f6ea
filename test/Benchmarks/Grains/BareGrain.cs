using Actors.Silo.Hosting;

namespace Actors.Benchmarks.Grains;

/// <summary>Persists to the root grains' own storage provider, so the baseline pays the same Redis and serializer.</summary>
internal sealed class BareGrain(
    [PersistentState("bare", ActorsSiloExtensions.StorageName)] IPersistentState<BareState> state) : Grain, IBareGrain
{
    public async Task<long> WriteAsync(string payload)
    {
        state.State.Payload = payload;
        state.State.Version++;
        await state.WriteStateAsync();
        return state.State.Version;
    }

    public Task<int> PingAsync() => Task.FromResult(42);
}
