namespace Actors.Benchmarks.Grains;

/// <summary>
/// The baseline grain: what Orleans plus the same Redis storage costs without any of the store's logic
/// (no JSON, no write-id memory).
/// </summary>
public interface IBareGrain : IGrainWithStringKey
{
    /// <summary>Replaces the state with <paramref name="payload"/> and persists it (WriteStateAsync).</summary>
    Task<long> WriteAsync(string payload);

    /// <summary>Returns a constant: the cost of a grain call and nothing else.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<int> PingAsync();
}
