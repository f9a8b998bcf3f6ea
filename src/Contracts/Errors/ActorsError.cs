namespace Actors.Contracts;

/// <summary>
/// A typed, serializable error: what went wrong (<see cref="Kind"/>) and a message that says what to fix.
/// </summary>
/// <param name="Kind">The kind of error; front ends map it to their own error forms.</param>
/// <param name="Message">One sentence for a person, naming the rule that was broken and what to change.</param>
/// <param name="CurrentVersion">For <see cref="ActorsErrorKind.VersionConflict"/>: the root's current version.</param>
/// <param name="Progress">For <see cref="ActorsErrorKind.IndexBuilding"/>: how far the build is, 0..1.</param>
[GenerateSerializer, Immutable]
public sealed record ActorsError(
    [property: Id(0)] ActorsErrorKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] long? CurrentVersion = null,
    [property: Id(3)] double? Progress = null)
{
    /// <summary>An invalid root id.</summary>
    public static ActorsError InvalidRootId(string rule) => new(ActorsErrorKind.InvalidRootId, $"Invalid root id: {rule}.");

    /// <summary>Malformed JSON.</summary>
    public static ActorsError InvalidJson(string detail) => new(ActorsErrorKind.InvalidJson, $"The body is not valid JSON: {detail}");

    /// <summary>A syntactically invalid JSON Pointer.</summary>
    public static ActorsError InvalidPointer(string pointer, string rule) =>
        new(ActorsErrorKind.InvalidPointer, $"Invalid JSON Pointer '{pointer}': {rule}.");

    /// <summary>A malformed JSON Patch.</summary>
    public static ActorsError InvalidPatch(string detail) => new(ActorsErrorKind.InvalidPatch, $"Invalid JSON Patch: {detail}.");

    /// <summary>A missing or too long write id.</summary>
    public static ActorsError InvalidWriteId(string detail) => new(ActorsErrorKind.InvalidWriteId, $"Invalid write id: {detail}.");

    /// <summary>A body or result that is not a JSON object.</summary>
    public static ActorsError NotAnObject(string what) => new(ActorsErrorKind.NotAnObject, $"{what} must be a JSON object.");

    /// <summary>Nesting deeper than allowed.</summary>
    public static ActorsError TooDeep(int maxDepth) =>
        new(ActorsErrorKind.TooDeep, $"The document nests deeper than {maxDepth} levels (the root object is level 1); flatten it.");

    /// <summary>A document or request over the size limit.</summary>
    public static ActorsError TooLarge(long size, long limit) =>
        new(ActorsErrorKind.TooLarge, $"The document would be {size:N0} bytes of compact JSON; the limit is {limit:N0} bytes. Split it into several roots linked with {{\"$ref\": \"type/id\"}}.");

    /// <summary>An absent root.</summary>
    public static ActorsError RootNotFound(string root) => new(ActorsErrorKind.RootNotFound, $"Root '{root}' does not exist.");

    /// <summary>A pointer that addresses nothing.</summary>
    public static ActorsError PointerNotFound(string root, string pointer) =>
        new(ActorsErrorKind.PointerNotFound, $"Nothing at '{pointer}' in root '{root}'.");

    /// <summary>A patch that cannot apply.</summary>
    public static ActorsError PatchFailed(string detail) =>
        new(ActorsErrorKind.PatchFailed, $"The patch cannot apply to the current document: {detail}. Nothing was changed.");

    /// <summary>A failed ifVersion precondition.</summary>
    public static ActorsError VersionConflict(long expected, long current) =>
        new(ActorsErrorKind.VersionConflict, $"Version conflict: the write expected version {expected}, the root is at version {current}. Read it again and retry.", current);

    /// <summary>A write id used before with another command.</summary>
    public static ActorsError WriteIdReused(string writeId) =>
        new(ActorsErrorKind.WriteIdReused, $"Write id '{writeId}' was already used on this root for a different command; use a new id for a new write.");

    /// <summary>Storage, cluster or silo unavailable.</summary>
    public static ActorsError Unavailable(string why) => new(ActorsErrorKind.Unavailable, $"{why} Nothing was changed; retry later with the same write id.");

    /// <summary>A command whose shape does not fit its op.</summary>
    public static ActorsError InvalidCommand(string detail) => new(ActorsErrorKind.InvalidCommand, $"Invalid write: {detail}.");

    /// <summary>A malformed query.</summary>
    public static ActorsError InvalidQuery(string detail) => new(ActorsErrorKind.InvalidQuery, $"Invalid query: {detail}.");

    /// <summary>A query on an index the type does not have.</summary>
    public static ActorsError UnknownIndex(string type, string index, IEnumerable<string> known)
    {
        var names = string.Join(", ", known.Order(StringComparer.Ordinal));
        return new(ActorsErrorKind.UnknownIndex, names.Length == 0
            ? $"Type '{type}' has no index '{index}'; it has no indexes at all. Declare one with PUT /v1/indexes/{type}/{index}."
            : $"Type '{type}' has no index '{index}'; its indexes are: {names}.");
    }

    /// <summary>A query on an index still being built.</summary>
    public static ActorsError IndexBuilding(string type, string index, double progress) =>
        new(ActorsErrorKind.IndexBuilding, $"Index '{index}' of type '{type}' is still being built ({progress:P0} done); query it when it is ready.", Progress: progress);

    /// <summary>A declaration breaking a rule.</summary>
    public static ActorsError InvalidIndex(string detail) => new(ActorsErrorKind.InvalidIndex, $"Invalid index: {detail}.");

    /// <summary>A declaration under a name already used with another pointer.</summary>
    public static ActorsError IndexConflict(string type, string index, string existingPointer) =>
        new(ActorsErrorKind.IndexConflict, $"Type '{type}' already has an index '{index}' on '{existingPointer}'; drop it first, or use another name.");

    /// <summary>An index that does not exist.</summary>
    public static ActorsError IndexNotFound(string type, string index) =>
        new(ActorsErrorKind.IndexNotFound, $"Type '{type}' has no index '{index}'.");

    /// <summary>A storage that cannot answer queries.</summary>
    public static ActorsError QueriesNotSupported(string provider) =>
        new(ActorsErrorKind.QueriesNotSupported, $"The root storage '{provider}' cannot answer queries; set Actors:Storage:Provider to Redis (docs/queries.md).");
}
