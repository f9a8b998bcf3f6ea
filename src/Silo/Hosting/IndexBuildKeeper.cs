using Actors.Contracts;
using Actors.Silo.Options;
using Actors.Silo.Queries;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Hosting;

/// <summary>
/// Keeps index builds going on every silo (docs/queries.md, Index build): every few seconds it reads the set of
/// indexes being built and calls each one's grain, which starts its build loop if none runs — so a build whose silo
/// crashed resumes from its saved cursor on another silo within <see cref="QueryOptions.BuildKeeperInterval"/>.
/// </summary>
internal sealed partial class IndexBuildKeeper(
    RootIndexStore store, IGrainFactory grains, IOptions<QueryOptions> options, ILogger<IndexBuildKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BuildKeeperInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var building in await store.BuildingAsync().ConfigureAwait(false))
                {
                    var slash = building.IndexOf('/', StringComparison.Ordinal);
                    await grains.GetIndex(building[..slash], building[(slash + 1)..]).GetAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Not connected yet, the silo not yet active, or Redis down: the next tick tries again.
                LogKeeperTickFailed(logger, ex.GetType().Name, ex.Message);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Index build keeper: this round failed ({Error}: {Message}); trying again next round")]
    private static partial void LogKeeperTickFailed(ILogger logger, string error, string message);
}
