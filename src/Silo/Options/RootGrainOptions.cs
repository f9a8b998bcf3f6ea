namespace Actors.Silo.Options;

/// <summary>Limits of each root; bound from <c>Actors:Roots</c>.</summary>
public sealed class RootGrainOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors:Roots";

    /// <summary>How many recent write ids each root remembers for idempotency (docs/data-model.md requires at least 1,000).</summary>
    public int WriteIdMemory { get; set; } = 1000;

    /// <summary>The largest document, as compact UTF-8 JSON.</summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>The deepest nesting; the root object is level 1 and every object or array adds one.</summary>
    public int MaxDepth { get; set; } = 64;
}
