using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>
/// The one-time catalog backfill (docs/queries.md, Catalog backfill): SCANs every Redis primary for root states written
/// before queries existed — partitioned ones without <c>v</c>, and pre-partition ones — and gives each its version, its
/// type set membership and its index entries (<see cref="RootIndexStore.BackfillStatesAsync"/>,
/// <see cref="RootIndexStore.CopyLegacyStatesAsync"/>). One silo at a time (a lease in Redis); the SCAN cursors and
/// counts are saved after every page, so another silo resumes after a crash; "done" at the end makes later starts skip it.
/// </summary>
/// <remarks>
/// <paramref name="copyLegacy"/> follows <c>Actors:Storage:ReadLegacyKeys</c>: a storage that does not read the
/// pre-partition keys treats those roots as gone, and the backfill must not bring them back.
/// </remarks>
internal sealed partial class CatalogBackfill(RootIndexStore store, int scanCount, TimeSpan lease, ILogger logger, bool copyLegacy = true)
{
    private const string Partitioned = "root";
    private const string Legacy = "legacy";

    // A large backfill says how far it got this often, so an operator following the log sees it move.
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the backfill to its end as <paramref name="owner"/> if it is not done and no other silo holds the lease.
    /// Returns the totals when this call finished it, null when there was nothing to do or another silo runs it. Throws
    /// when Redis fails (the saved progress stays; the next call resumes), <see cref="OperationCanceledException"/> when stopped.
    /// </summary>
    public async Task<BackfillCounts?> RunAsync(string owner, CancellationToken cancellationToken)
    {
        if (await store.BackfillIsDoneAsync().ConfigureAwait(false) || !await store.TryLeaseBackfillAsync(owner, lease).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var progress = await store.LoadBackfillAsync().ConfigureAwait(false);
            if (progress.GetValueOrDefault("state") == RootIndexStore.BackfillDone)
            {
                return null;
            }
            var totals = new BackfillCounts(Count(progress, "examined"), Count(progress, "backfilled"), Count(progress, "copied"), Count(progress, "deleted"));
            var clock = Stopwatch.StartNew();
            var started = totals;
            if (totals.Examined == 0)
            {
                LogStarted(logger, store.RootStatePattern, store.LegacyRootStatePattern);
                await SaveAsync(owner, totals, ("state", "running"), ("started", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
            }
            else
            {
                LogResumed(logger, totals.Examined, totals.Backfilled, totals.Copied);
            }

            var definitions = new Dictionary<string, TypeIndexes>(StringComparer.Ordinal);
            var lastLog = TimeSpan.Zero;
            // Primaries can change while this runs (a failover): scan until a full round over the current ones finds
            // every cursor done. A new primary starts at 0 (what it holds was scanned on its old primary, or is scanned
            // again: every step is idempotent).
            while (true)
            {
                var primaries = store.Primaries();
                var scanned = false;
                foreach (var server in primaries)
                {
                    foreach (var pass in copyLegacy ? [Partitioned, Legacy] : new[] { Partitioned })
                    {
                        var field = $"cursor:{pass}:{server.EndPoint}";
                        var saved = progress.GetValueOrDefault(field);
                        if (saved == RootIndexStore.BackfillDone)
                        {
                            continue;
                        }
                        scanned = true;
                        var cursor = long.TryParse(saved, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0;
                        var pattern = pass == Partitioned ? store.RootStatePattern : store.LegacyRootStatePattern;
                        do
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            var (next, keys) = await RootIndexStore.ScanAsync(server, cursor, pattern, scanCount).ConfigureAwait(false);
                            if (keys.Length > 0)
                            {
                                totals += pass == Partitioned
                                    ? await store.BackfillStatesAsync(keys, definitions).ConfigureAwait(false)
                                    : await store.CopyLegacyStatesAsync(keys, definitions).ConfigureAwait(false);
                            }
                            cursor = next;
                            var value = cursor == 0 ? RootIndexStore.BackfillDone : cursor.ToString(CultureInfo.InvariantCulture);
                            progress[field] = value;
                            await SaveAsync(owner, totals, (field, value)).ConfigureAwait(false);
                            if (clock.Elapsed - lastLog >= ProgressEvery)
                            {
                                lastLog = clock.Elapsed;
                                LogProgress(logger, totals.Examined, totals.Backfilled, totals.Copied, server.EndPoint?.ToString() ?? "?");
                            }
                        }
                        while (cursor != 0);
                    }
                }
                if (!scanned)
                {
                    break;
                }
            }

            await SaveAsync(owner, totals, ("state", RootIndexStore.BackfillDone), ("finished", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
            var run = totals with
            {
                Examined = totals.Examined - started.Examined,
                Backfilled = totals.Backfilled - started.Backfilled,
                Copied = totals.Copied - started.Copied,
            };
            LogDone(logger, totals.Examined, totals.Backfilled, totals.Copied, totals.Deleted, clock.Elapsed.TotalSeconds,
                (run.Backfilled + run.Copied) / Math.Max(clock.Elapsed.TotalSeconds, 0.001));
            return totals;
        }
        finally
        {
            try
            {
                await store.ReleaseBackfillAsync(owner).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // It expires on its own.
            }
        }
    }

    private async Task SaveAsync(string owner, BackfillCounts totals, params (string Field, string Value)[] fields)
    {
        KeyValuePair<string, string>[] all =
        [
            new("examined", totals.Examined.ToString(CultureInfo.InvariantCulture)),
            new("backfilled", totals.Backfilled.ToString(CultureInfo.InvariantCulture)),
            new("copied", totals.Copied.ToString(CultureInfo.InvariantCulture)),
            new("deleted", totals.Deleted.ToString(CultureInfo.InvariantCulture)),
            .. fields.Select(f => new KeyValuePair<string, string>(f.Field, f.Value)),
        ];
        if (!await store.SaveBackfillAsync(owner, lease, all).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The catalog backfill lease was lost (this silo paused longer than the lease?); another silo goes on from the saved progress.");
        }
    }

    private static long Count(Dictionary<string, string> progress, string field) =>
        long.TryParse(progress.GetValueOrDefault(field), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;

    [LoggerMessage(1, LogLevel.Information, "Catalog backfill started: scanning every Redis primary for root states without a version ({Pattern}) and old-layout ones ({LegacyPattern})")]
    private static partial void LogStarted(ILogger logger, string pattern, string legacyPattern);

    [LoggerMessage(2, LogLevel.Information, "Catalog backfill resumed from its saved cursors: {Examined} keys examined, {Backfilled} roots backfilled, {Copied} copied from the old layout so far")]
    private static partial void LogResumed(ILogger logger, long examined, long backfilled, long copied);

    [LoggerMessage(4, LogLevel.Information, "Catalog backfill running: {Examined} keys examined, {Backfilled} roots backfilled, {Copied} copied from the old layout so far; scanning {Primary}")]
    private static partial void LogProgress(ILogger logger, long examined, long backfilled, long copied, string primary);

    [LoggerMessage(3, LogLevel.Information, "Catalog backfill done: {Examined} keys examined, {Backfilled} roots backfilled, {Copied} copied from the old layout, {Deleted} deleted roots skipped; this run {Seconds:0.0} s, {RootsPerSecond:0} roots/s")]
    private static partial void LogDone(ILogger logger, long examined, long backfilled, long copied, long deleted, double seconds, double rootsPerSecond);
}
