using Actors.Contracts;
using Actors.Silo.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Actors.Silo.Grains;

/// <summary>
/// Lists and index queries (docs/queries.md) on whichever silo takes the call: a stateless worker, so every silo runs
/// queries in parallel, each reading Redis directly through the silo's <see cref="RootIndexStore"/>.
/// </summary>
[StatelessWorker]
internal sealed partial class RootQueryGrain(IServiceProvider services, ILogger<RootQueryGrain> logger) : Grain, IRootQueryGrain
{
    private readonly RootIndexStore? _store = services.GetService<RootIndexStore>();

    public async Task<QueryPage> QueryAsync(RootQuery query)
    {
        if (_store is null)
        {
            return QueryPage.Refused(ActorsError.QueriesNotSupported(IndexGrain.ProviderName(services)));
        }
        try
        {
            return await new QueryEngine(_store).QueryAsync(query);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException)
        {
            LogQueryFailed(logger, ex, query?.Type);
            return QueryPage.Refused(Unavailable(ex));
        }
    }

    public async Task<IndexListResult> ListIndexesAsync(string type)
    {
        if (_store is null)
        {
            return new IndexListResult([], ActorsError.QueriesNotSupported(IndexGrain.ProviderName(services)));
        }
        if (RootId.ValidateType(type) is { } error)
        {
            return new IndexListResult([], ActorsError.InvalidQuery(error.TrimEnd('.')));
        }
        try
        {
            var indexes = await _store.LoadAsync(type);
            return new IndexListResult([.. indexes.Definitions.Select(d => d.Value.ToInfo(type, d.Key, _store.Partitions))]);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException)
        {
            LogQueryFailed(logger, ex, type);
            return new IndexListResult([], Unavailable(ex));
        }
    }

    internal static ActorsError Unavailable(Exception ex) =>
        new(ActorsErrorKind.Unavailable, $"Storage is unavailable ({ex.GetType().Name}); nothing was read or changed, retry later.");

    [LoggerMessage(1, LogLevel.Warning, "Query on type {Type} failed in storage")]
    private static partial void LogQueryFailed(ILogger logger, Exception exception, string? type);
}
