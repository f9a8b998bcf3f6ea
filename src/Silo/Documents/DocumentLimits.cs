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

    /// <summary>The default cap on a JSON Patch's operations.</summary>
    public const int DefaultMaxPatchOperations = 1_000;

    /// <summary>The default cap on the bytes one JSON Patch may clone or measure: 16 MiB, sixteen whole documents.</summary>
    public const long DefaultMaxPatchWorkBytes = 16L * 1_048_576;

    /// <summary>The limits as shipped.</summary>
    public static DocumentLimits Default { get; } = new();

    /// <summary>The largest document, measured as the stored compact UTF-8 JSON of a write's result.</summary>
    public int MaxDocumentBytes { get; set; } = DefaultMaxDocumentBytes;

    /// <summary>
    /// The deepest nesting: the root object is level 1 and every object or array inside adds a level; scalars add none.
    /// </summary>
    public int MaxDepth { get; set; } = DefaultMaxDepth;

    /// <summary>The most operations one JSON Patch may hold; a longer one is refused before anything is applied.</summary>
    public int MaxPatchOperations { get; set; } = DefaultMaxPatchOperations;

    /// <summary>
    /// The most bytes one JSON Patch may clone (copy, add, replace), walk (a moved value's depth) or re-measure (the
    /// document, when its size bound passes the limit), summed over its operations. Without it a 2 MiB body of copies
    /// of a large member keeps one grain busy for minutes; with it the patch stops at the first operation past the
    /// budget, nothing applied.
    /// </summary>
    public long MaxPatchWorkBytes { get; set; } = DefaultMaxPatchWorkBytes;
}
