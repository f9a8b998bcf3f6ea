using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.Silo.Documents;
using Actors.Silo.Options;
using Actors.Silo.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Grains;

/// <summary>
/// One index, keyed <c>type/name</c>: declares, shows and drops it, and runs its build in the background while active
/// (docs/queries.md, Index build). The build's cursor is in Redis, so after a crash the next activation — which every
/// silo's <see cref="Hosting.IndexBuildKeeper"/> brings about within seconds — resumes it.
/// </summary>
internal sealed partial class IndexGrain(IServiceProvider services, ILogger<IndexGrain> logger) : Grain, IIndexGrain
{
    private readonly RootIndexStore? _store = services.GetService<RootIndexStore>();
    private readonly int _batchSize = services.GetService<IOptions<QueryOptions>>()?.Value.BuildBatchSize ?? new QueryOptions().BuildBatchSize;
    private string _type = "";
    private string _name = "";
    private CancellationTokenSource? _cancel;
    private Task? _build;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        (_type, _name) = slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopBuildAsync();
    }

    public Task<IndexResult> DeclareAsync(string pointer) => GuardAsync(() => DeclareCoreAsync(pointer));

    public Task<IndexResult> GetAsync() => GuardAsync(GetCoreAsync);

    public Task<IndexResult> DropAsync() => GuardAsync(DropCoreAsync);

    private async Task<IndexResult> DeclareCoreAsync(string pointer)
    {
        if (Check() is { } refused)
        {
            return refused;
        }
        if (string.IsNullOrEmpty(pointer))
        {
            return IndexResult.Refused(ActorsError.InvalidIndex("a pointer to the indexed value is required, e.g. /status"));
        }
        if (!JsonPointer.TryParse(pointer, out var parsed, out _))
        {
            return IndexResult.Refused(ActorsError.InvalidIndex($"'{pointer}' is not a JSON Pointer (RFC 6901: '/' then members, '~0' for '~', '~1' for '/')"));
        }
        if (parsed.IsRoot)
        {
            return IndexResult.Refused(ActorsError.InvalidIndex("the pointer must address a member inside the document, e.g. /status, not the whole document"));
        }

        var store = _store!;
        var definition = new IndexDefinition(pointer, Ready: false, Generation: Guid.NewGuid().ToString("N"));
        var (existing, epoch) = await store.DeclareAsync(_type, _name, definition);
        if (existing is not null)
        {
            if (existing.Pointer != pointer)
            {
                return IndexResult.Refused(ActorsError.IndexConflict(_type, _name, existing.Pointer));
            }
            if (!existing.Ready)
            {
                EnsureBuilding();
            }
            return new IndexResult(existing.ToInfo(_type, _name, store.Partitions), Created: false);
        }

        // From the reset on every write carries the index; a type that had no root then needs no build.
        await Task.WhenAll(Enumerable.Range(0, store.Partitions).Select(p => store.ResetPartitionAsync(p, _type, _name, epoch)));
        if (await store.TypeIsEmptyAsync(_type))
        {
            var ready = definition with { Ready = true, Partition = store.Partitions };
            if (await store.SaveCursorAsync(_type, _name, definition.Generation, ready))
            {
                LogDeclared(logger, _type, _name, pointer, "ready (no roots)");
                return new IndexResult(ready.ToInfo(_type, _name, store.Partitions), Created: true);
            }
        }

        LogDeclared(logger, _type, _name, pointer, "building");
        EnsureBuilding();
        return new IndexResult(definition.ToInfo(_type, _name, store.Partitions), Created: true);
    }

    private async Task<IndexResult> GetCoreAsync()
    {
        if (Check() is { } refused)
        {
            return refused;
        }
        var indexes = await _store!.LoadAsync(_type);
        if (!indexes.Definitions.TryGetValue(_name, out var definition))
        {
            return IndexResult.Refused(ActorsError.IndexNotFound(_type, _name));
        }
        if (!definition.Ready)
        {
            EnsureBuilding();
        }
        return new IndexResult(definition.ToInfo(_type, _name, _store.Partitions));
    }

    private async Task<IndexResult> DropCoreAsync()
    {
        if (Check() is { } refused)
        {
            return refused;
        }
        await StopBuildAsync();
        var dropped = await _store!.DropAsync(_type, _name);
        if (dropped is null)
        {
            return IndexResult.Refused(ActorsError.IndexNotFound(_type, _name));
        }
        LogDropped(logger, _type, _name);
        return new IndexResult(dropped.ToInfo(_type, _name, _store.Partitions));
    }

    /// <summary>Refusals are values (as for <see cref="IRootGrain"/>): Redis being unavailable is one.</summary>
    private static async Task<IndexResult> GuardAsync(Func<Task<IndexResult>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException)
        {
            return IndexResult.Refused(RootQueryGrain.Unavailable(ex));
        }
    }

    private IndexResult? Check()
    {
        if (RootId.ValidateType(_type) is { } typeError)
        {
            return IndexResult.Refused(ActorsError.InvalidIndex(typeError.TrimEnd('.')));
        }
        if (IndexNames.Validate(_name) is { } nameError)
        {
            return IndexResult.Refused(ActorsError.InvalidIndex(nameError.TrimEnd('.')));
        }
        return _store is null ? IndexResult.Refused(ActorsError.QueriesNotSupported(ProviderName(services))) : null;
    }

    /// <summary>Starts the build loop unless it runs. It runs on the thread pool, not the grain's scheduler: it touches no grain state.</summary>
    private void EnsureBuilding()
    {
        if (_build is { IsCompleted: false })
        {
            return;
        }
        _cancel?.Dispose();
        _cancel = new CancellationTokenSource();
        var token = _cancel.Token;
        _build = Task.Run(() => new IndexBuilder(_store!, _type, _name, _batchSize, logger).RunAsync(token), CancellationToken.None);
    }

    private async Task StopBuildAsync()
    {
        if (_cancel is null || _build is null)
        {
            return;
        }
        await _cancel.CancelAsync();
        try
        {
            await _build;
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }
        _build = null;
    }

    /// <summary>The root storage provider this silo runs, for <see cref="ActorsError.QueriesNotSupported"/>.</summary>
    internal static string ProviderName(IServiceProvider services)
    {
        var storage = services.GetService<IOptions<RootStorageOptions>>()?.Value;
        var cluster = services.GetService<IOptions<ActorsClusterOptions>>()?.Value;
        return storage is not null && cluster is not null ? storage.EffectiveProvider(cluster) : "unknown";
    }

    [LoggerMessage(1, LogLevel.Information, "Index {Type}/{Name} on {Pointer} declared: {State}")]
    private static partial void LogDeclared(ILogger logger, string type, string name, string pointer, string state);




    [LoggerMessage(5, LogLevel.Information, "Index {Type}/{Name} dropped")]
    private static partial void LogDropped(ILogger logger, string type, string name);
}
