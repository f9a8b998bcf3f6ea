namespace Actors.Benchmarks.Grains;

/// <summary>
/// Persists to Orleans' own Redis grain storage (<see cref="Hosting.SiloMode.OrleansStorageName"/>) on the same Redis
/// as the roots: one round trip per write, no replica acknowledgement.
/// </summary>
internal sealed class OrleansBareGrain(
    [PersistentState("bare", Hosting.SiloMode.OrleansStorageName)] IPersistentState<BareState> state) : Grain, IOrleansBareGrain
{
    public async Task<long> WriteAsync(string payload)
    {
        state.State.Payload = payload;
        state.State.Version++;
        await state.WriteStateAsync();
        return state.State.Version;
    }
}
