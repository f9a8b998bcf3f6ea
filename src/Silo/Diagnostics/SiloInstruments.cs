using System.Diagnostics;
using System.Diagnostics.Metrics;
using Actors.Contracts;
using Actors.Contracts.Hosting;

namespace Actors.Silo.Diagnostics;

/// <summary>
/// The silo's own metrics and spans (docs/observability.md lists each with its unit and meaning). The names are
/// constants because dashboards and alerts depend on them: Prometheus shows <c>actors.writes</c> as
/// <c>actors_writes_total</c>, <c>actors.write.duration</c> as <c>actors_write_duration_seconds</c>.
/// </summary>
/// <remarks>
/// Static, as Orleans' own instruments are: a meter costs nothing until something listens, and every silo of a process
/// (tests) shares the one <see cref="ActorsTelemetry.MeterName"/> meter.
/// </remarks>
internal static class SiloInstruments
{
    public const string WritesName = "actors.writes";
    public const string WriteDurationName = "actors.write.duration";
    public const string WriteIdHitsName = "actors.write_ids.hits";
    public const string ReplicationWaitName = "actors.storage.replication.duration";
    public const string ReplicationTimeoutsName = "actors.storage.replication.timeouts";
    public const string QueryPagesName = "actors.query.pages";
    public const string IndexBuildsName = "actors.index.builds.running";
    public const string IndexBuildRootsName = "actors.index.build.roots";
    public const string IndexBuildPartitionsName = "actors.index.build.partitions";

    /// <summary>The span names (<see cref="Source"/>).</summary>
    public const string StorageWriteSpan = "storage write";
    public const string ReplicationWaitSpan = "replication wait";

    /// <summary>Write outcomes, the values of the <c>outcome</c> tag.</summary>
    public const string Applied = "applied";
    public const string Duplicate = "duplicate";
    public const string Conflict = "conflict";
    public const string Refused = "refused";

    // Seconds from 0.5 ms (a write to a local Redis) to 5 s (beyond the replication timeout).
    private static readonly IReadOnlyList<double> LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private static readonly Meter Meter = new(ActorsTelemetry.MeterName, ActorsTelemetry.Version);

    /// <summary>The silo's spans: the storage write of a root and the replica acknowledgement it waits for.</summary>
    public static readonly ActivitySource Source = new(ActorsTelemetry.ActivitySourceName, ActorsTelemetry.Version);

    public static readonly Counter<long> Writes = Meter.CreateCounter<long>(
        WritesName, "{write}", "Writes handled by root grains, by op and outcome (applied, duplicate, conflict, refused).");

    public static readonly Histogram<double> WriteDuration = Meter.CreateHistogram(
        WriteDurationName, "s", "Time a root grain took to handle a write, storage and replication wait included, by op and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Counter<long> WriteIdHits = Meter.CreateCounter<long>(
        WriteIdHitsName, "{write}", "Writes whose id the root's write-id memory held: result=duplicate (same command) or reused (another command).");

    public static readonly Histogram<double> ReplicationWait = Meter.CreateHistogram(
        ReplicationWaitName, "s", "Time a storage write waited for its primary's replicas to acknowledge it (WAIT).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Counter<long> ReplicationTimeouts = Meter.CreateCounter<long>(
        ReplicationTimeoutsName, "{write}", "Storage writes not acknowledged because too few replicas confirmed them in time.");

    public static readonly Counter<long> QueryPages = Meter.CreateCounter<long>(
        QueryPagesName, "{page}", "Query and list pages served, by access=index or scan (the type's set).");

    public static readonly UpDownCounter<long> IndexBuilds = Meter.CreateUpDownCounter<long>(
        IndexBuildsName, "{build}", "Index builds running on this silo.");

    public static readonly Counter<long> IndexBuildRoots = Meter.CreateCounter<long>(
        IndexBuildRootsName, "{root}", "Roots an index build has indexed.");

    public static readonly Counter<long> IndexBuildPartitions = Meter.CreateCounter<long>(
        IndexBuildPartitionsName, "{partition}", "Partitions an index build has finished.");

    /// <summary>Records one handled write.</summary>
    public static void RecordWrite(WriteOp op, WriteResult result, long startTimestamp)
    {
        if (!Writes.Enabled && !WriteDuration.Enabled)
        {
            return;
        }
        var outcome = Outcome(result);
        var tags = new TagList { { "op", op.ToWireName() }, { "outcome", outcome } };
        Writes.Add(1, tags);
        WriteDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    /// <summary>The <c>outcome</c> tag of a write's result.</summary>
    public static string Outcome(WriteResult result) => result switch
    {
        { Error: null, Duplicate: true } => Duplicate,
        { Error: null } => Applied,
        { Error.Kind: ActorsErrorKind.VersionConflict } => Conflict,
        _ => Refused,
    };
}
