using Actors.Contracts.Hosting;

namespace Actors.Silo.Options;

/// <summary>Queries and index builds (docs/queries.md); bound from <c>Actors:Queries</c> (environment: <c>Actors__Queries__TokenKey</c>).</summary>
public sealed class QueryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors:Queries";

    /// <summary>
    /// The secret that signs paging tokens; every silo of a service must share it. Unset: one is generated once and
    /// kept in Redis, which every silo then reads. Never logged.
    /// </summary>
    [Secret]
    public string? TokenKey { get; set; }

    /// <summary>Roots an index build reads and indexes per step; its cursor is saved after each.</summary>
    public int BuildBatchSize { get; set; } = 500;

    /// <summary>How often every silo makes sure the indexes being built have a running builder (after a silo crash).</summary>
    public TimeSpan BuildKeeperInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the one-time catalog backfill: roots written before queries existed get their version, type set membership
    /// and index entries, so lists and index queries see them without waiting for their next write (docs/queries.md).
    /// </summary>
    public bool Backfill { get; set; } = true;

    /// <summary>The SCAN <c>COUNT</c> of the catalog backfill: about how many keys it examines per step; its cursor is saved after each.</summary>
    public int BackfillBatchSize { get; set; } = 500;

    /// <summary>How long the silo running the catalog backfill holds it without progress before another silo may take over.</summary>
    public TimeSpan BackfillLease { get; set; } = TimeSpan.FromSeconds(30);
}
