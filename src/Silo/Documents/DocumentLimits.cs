namespace Actors.Silo.Documents;

/// <summary>
/// The hard limits on every stored document (docs/data-model.md), applied to the result of each write and, for depth, while
/// parsing untrusted bodies.
/// </summary>
internal sealed class DocumentLimits
{
    /// <summary>The default size limit: 1 MiB of compact UTF-8 JSON.</summary>
    public const int DefaultMaxDocumentBytes = 1_048_576;

    /// <summary>The default nesting limit: 64 levels, the root object being level 1.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>
    /// The highest <see cref="MaxDepth"/> accepted. The engine walks trees recursively; keeping depth well below this
    /// keeps every walk far from the thread's stack limit.
    /// </summary>
    public const int MaxConfigurableDepth = 1_000;

    /// <summary>The limits as shipped.</summary>
    public static DocumentLimits Default { get; } = new();

    /// <summary>The largest document, measured as the stored compact UTF-8 JSON of a write's result.</summary>
    public int MaxDocumentBytes { get; set; } = DefaultMaxDocumentBytes;

    /// <summary>
    /// The deepest nesting: the root object is level 1 and every object or array inside adds a level; scalars add none.
    /// </summary>
    public int MaxDepth { get; set; } = DefaultMaxDepth;
}
