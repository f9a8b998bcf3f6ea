using Actors.Silo.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Actors.Silo.Queries;

/// <summary>
/// The build loop of one index (docs/queries.md, Index build): batch after batch from the saved cursor, saving it after
/// each, until every partition is built or the index is dropped. Runs on the thread pool, started by the index's grain.
/// </summary>
internal sealed partial class IndexBuilder(RootIndexStore store, string type, string name, int batchSize, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogBuildRunning(logger, type, name);
        SiloInstruments.IndexBuilds.Add(1);
        try
        {
            await BuildAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SiloInstruments.IndexBuilds.Add(-1);
        }
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var indexes = await store.LoadAsync(type).ConfigureAwait(false);
                if (!indexes.Definitions.TryGetValue(name, out var definition) || definition.Ready)
                {
                    return;
                }
                var next = await store.BuildBatchAsync(type, name, indexes, definition, batchSize).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (!await store.SaveCursorAsync(type, name, definition.Generation, next).ConfigureAwait(false))
                {
                    return;
                }
                if (next.Partition != definition.Partition)
                {
                    SiloInstruments.IndexBuildPartitions.Add(1);
                }
                if (next.Ready)
                {
                    LogBuilt(logger, type, name);
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Redis unavailable: the cursor is saved, so waiting and going on loses nothing.
                LogBuildStepFailed(logger, ex, type, name);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(2, LogLevel.Information, "Index {Type}/{Name}: build running")]
    private static partial void LogBuildRunning(ILogger logger, string type, string name);

    [LoggerMessage(3, LogLevel.Information, "Index {Type}/{Name}: built, ready")]
    private static partial void LogBuilt(ILogger logger, string type, string name);

    [LoggerMessage(4, LogLevel.Warning, "Index {Type}/{Name}: a build step failed; retrying from the saved cursor")]
    private static partial void LogBuildStepFailed(ILogger logger, Exception exception, string type, string name);
}
