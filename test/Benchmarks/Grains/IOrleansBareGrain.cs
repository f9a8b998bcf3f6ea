namespace Actors.Benchmarks.Grains;

/// <summary>The bare persisted grain on Orleans' own Redis provider: the baseline the replicated storage is measured against.</summary>
public interface IOrleansBareGrain : IGrainWithStringKey
{
    /// <summary>Stores <paramref name="payload"/> (WriteStateAsync) and returns the new version.</summary>
    Task<long> WriteAsync(string payload);
}
