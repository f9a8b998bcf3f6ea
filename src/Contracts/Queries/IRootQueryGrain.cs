using Orleans.Concurrency;

namespace Actors.Contracts;

/// <summary>
/// Runs list and index queries (docs/queries.md) on whichever silo takes the call; stateless, so every silo answers
/// queries in parallel. Get it with <c>GetGrain&lt;IRootQueryGrain&gt;(0)</c> or use
/// <see cref="RootQueryGrainFactoryExtensions"/>.
/// </summary>
/// <remarks>As for <see cref="IRootGrain"/>, refusals are returned as values (<see cref="QueryPage.Error"/>), never thrown.</remarks>
public interface IRootQueryGrain : IGrainWithIntegerKey
{
    /// <summary>One page of <paramref name="query"/>.</summary>
    [ReadOnly]
    Task<QueryPage> QueryAsync(RootQuery query);

    /// <summary>Every index declared on <paramref name="type"/>, by name.</summary>
    [ReadOnly]
    Task<IndexListResult> ListIndexesAsync(string type);
}

/// <summary>The indexes of one type, or why they could not be listed.</summary>
[GenerateSerializer, Immutable]
public sealed record IndexListResult(
    [property: Id(0)] IReadOnlyList<IndexInfo> Indexes,
    [property: Id(1)] ActorsError? Error = null);
