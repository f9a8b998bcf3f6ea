using Actors.Contracts;
using Actors.Silo.Options;
using Actors.Silo.Queries;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Actors.Silo.Hosting;

/// <summary>
/// Runs the catalog backfill (docs/queries.md, Catalog backfill) from every silo until it is done: every
/// <see cref="QueryOptions.BuildKeeperInterval"/> it checks the "done" mark (one HGET) and, while it is missing, tries
/// the lease; the silo holding it runs <see cref="CatalogBackfill"/>, the others try again on the next tick, so a crashed
/// runner's work resumes on another silo once its lease expires. Once it is done each tick costs that one HGET, and
/// deleting the progress key starts it again (after a resharding during the run, say) without restarting silos.
/// </summary>
internal sealed partial class CatalogBackfillKeeper(
    RootIndexStore store, IOptions<QueryOptions> options, IOptions<RootStorageOptions> storage, ILogger<CatalogBackfillKeeper> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Backfill)
        {
            LogDisabled(logger);
            return;
        }

        var backfill = new CatalogBackfill(store, settings.BackfillBatchSize, settings.BackfillLease, logger, copyLegacy: storage.Value.ReadLegacyKeys);
        using var timer = new PeriodicTimer(settings.BuildKeeperInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // Done: one HGET per tick. Deleting the progress key (docs/queries.md) makes the silos run it again.
                if (!await store.BackfillIsDoneAsync().ConfigureAwait(false))
                {
                    await backfill.RunAsync(_owner, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The saved progress stays, the next tick resumes from it. Redis down or not connected yet is routine
                // (every keeper says so on every tick); anything else, such as a lost lease, is worth a warning.
                if (ex is RedisConnectionException or RedisTimeoutException or StorageUnavailableException
                    || (ex is InvalidOperationException && !store.IsConnected))
                {
                    LogTickUnavailable(logger, ex.GetType().Name, ex.Message);
                }
                else
                {
                    LogTickFailed(logger, ex.GetType().Name, ex.Message);
                }
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Catalog backfill: a step failed ({Error}: {Message}); resuming from the saved progress next round")]
    private static partial void LogTickFailed(ILogger logger, string error, string message);

    [LoggerMessage(3, LogLevel.Debug, "Catalog backfill: Redis is not available ({Error}: {Message}); trying again next round")]
    private static partial void LogTickUnavailable(ILogger logger, string error, string message);

    [LoggerMessage(2, LogLevel.Information, "Catalog backfill is off (Actors:Queries:Backfill=false): roots written before queries existed are listed and indexed only from their next write")]
    private static partial void LogDisabled(ILogger logger);
}
