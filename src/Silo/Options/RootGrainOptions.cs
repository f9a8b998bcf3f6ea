namespace Actors.Silo.Options;

/// <summary>Limits of each root; bound from <c>Actors:Roots</c>.</summary>
public sealed class RootGrainOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors:Roots";

    /// <summary>How many recent write ids each root remembers for idempotency (docs/data-model.md requires at least 1,000).</summary>
    public int WriteIdMemory { get; set; } = 1000;

    /// <summary>
    /// Writes younger than this are remembered too, however many came since, so a late retry to a hot root is still
    /// recognised (docs/data-model.md). Zero: by count only.
    /// </summary>
    public TimeSpan WriteIdMinRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most write ids one root keeps for <see cref="WriteIdMinRetention"/>; beyond it the oldest go even if young (a warning is logged).</summary>
    public int WriteIdMaxEntries { get; set; } = 20_000;

    /// <summary>The largest document, as compact UTF-8 JSON.</summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>The deepest nesting; the root object is level 1 and every object or array adds one.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>The most operations in one JSON Patch (docs/data-model.md, Limits).</summary>
    public int MaxPatchOperations { get; set; } = 1_000;

    /// <summary>The most bytes of JSON one JSON Patch may clone, walk or measure, summed over its operations.</summary>
    public long MaxPatchWorkBytes { get; set; } = 16L * 1024 * 1024;
}
