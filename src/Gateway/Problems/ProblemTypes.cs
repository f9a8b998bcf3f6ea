using Actors.Contracts;

namespace Actors.Gateway.Problems;

/// <summary>
/// Every problem type the gateway sends (docs/http-api.md; listed in docs/http-api.md). The URIs are stable: clients
/// switch on them, so a name never changes meaning and is never reused.
/// </summary>
internal static class ProblemTypes
{
    /// <summary>The root type or id in the URL breaks the rules of docs/data-model.md.</summary>
    public static readonly ProblemType InvalidRootId = new("invalid-root-id", StatusCodes.Status400BadRequest, "Invalid root id");

    /// <summary>The body is not well-formed UTF-8 JSON.</summary>
    public static readonly ProblemType InvalidJson = new("invalid-json", StatusCodes.Status400BadRequest, "Invalid JSON");

    /// <summary>The JSON Pointer taken from the URL path is syntactically invalid (a bad <c>~</c> escape).</summary>
    public static readonly ProblemType InvalidPointer = new("invalid-pointer", StatusCodes.Status400BadRequest, "Invalid JSON Pointer");

    /// <summary>The JSON Patch is malformed: not an array, an unknown op, a missing or mistyped member.</summary>
    public static readonly ProblemType InvalidPatch = new("invalid-patch", StatusCodes.Status400BadRequest, "Invalid JSON Patch");

    /// <summary>The <c>Idempotency-Key</c> header is empty, repeated, too long or not visible ASCII.</summary>
    public static readonly ProblemType InvalidIdempotencyKey = new("invalid-idempotency-key", StatusCodes.Status400BadRequest, "Invalid Idempotency-Key");

    /// <summary>The <c>If-Match</c> header is not one strong entity tag <c>"&lt;version&gt;"</c>.</summary>
    public static readonly ProblemType InvalidIfMatch = new("invalid-if-match", StatusCodes.Status400BadRequest, "Invalid If-Match");

    /// <summary>The <c>expand</c> query parameter is not <c>refs</c>.</summary>
    public static readonly ProblemType InvalidExpand = new("invalid-expand", StatusCodes.Status400BadRequest, "Invalid expand");

    /// <summary>The <c>depth</c> query parameter is not an integer from 0 to 5.</summary>
    public static readonly ProblemType InvalidDepth = new("invalid-depth", StatusCodes.Status400BadRequest, "Invalid depth");

    /// <summary>The body (put, merge) or the document a write would produce is not a JSON object.</summary>
    public static readonly ProblemType NotAnObject = new("not-an-object", StatusCodes.Status400BadRequest, "Not a JSON object");

    /// <summary>The document would nest deeper than the configured limit.</summary>
    public static readonly ProblemType TooDeep = new("too-deep", StatusCodes.Status400BadRequest, "Document too deep");

    /// <summary>A write the store cannot make sense of (a body where none belongs, or none where one is needed).</summary>
    public static readonly ProblemType InvalidRequest = new("invalid-request", StatusCodes.Status400BadRequest, "Invalid request");

    /// <summary>A query parameter is malformed: a JSON literal, an operator combination, <c>limit</c>, a filter or the <c>after</c> token.</summary>
    public static readonly ProblemType InvalidQuery = new("invalid-query", StatusCodes.Status400BadRequest, "Invalid query");

    /// <summary>The query names an index the type does not have; <c>detail</c> names those it has.</summary>
    public static readonly ProblemType UnknownIndex = new("unknown-index", StatusCodes.Status400BadRequest, "Unknown index");

    /// <summary>An index declaration has an invalid name or pointer.</summary>
    public static readonly ProblemType InvalidIndex = new("invalid-index", StatusCodes.Status400BadRequest, "Invalid index");

    /// <summary>The request carries no credentials, or credentials the gateway does not accept (docs/security.md).</summary>
    public static readonly ProblemType Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized, "Authentication required");

    /// <summary>The caller is known but lacks the role this request needs for this type; <c>detail</c> names both.</summary>
    public static readonly ProblemType Forbidden = new("forbidden", StatusCodes.Status403Forbidden, "Role missing");

    /// <summary>The caller made more requests than its share (<c>Gateway:RequestsPerSecondPerCaller</c>); <c>Retry-After</c> says when to go on.</summary>
    public static readonly ProblemType RateLimited = new("rate-limited", StatusCodes.Status429TooManyRequests, "Too many requests");

    /// <summary>The index does not exist.</summary>
    public static readonly ProblemType IndexNotFound = new("index-not-found", StatusCodes.Status404NotFound, "Index not found");

    /// <summary>The queried index is still being built; the problem carries <c>progress</c> (0..1).</summary>
    public static readonly ProblemType IndexBuilding = new("index-building", StatusCodes.Status409Conflict, "Index building");

    /// <summary>An index of that name exists on another pointer.</summary>
    public static readonly ProblemType IndexConflict = new("index-conflict", StatusCodes.Status409Conflict, "Index exists");

    /// <summary>The silos' root storage cannot answer queries (only the Redis storage can).</summary>
    public static readonly ProblemType QueriesNotSupported = new("queries-not-supported", StatusCodes.Status501NotImplemented, "Queries not supported");

    /// <summary>The root does not exist (never created, or deleted).</summary>
    public static readonly ProblemType RootNotFound = new("root-not-found", StatusCodes.Status404NotFound, "Root not found");

    /// <summary>The root exists, but the JSON Pointer addresses nothing in it.</summary>
    public static readonly ProblemType PointerNotFound = new("pointer-not-found", StatusCodes.Status404NotFound, "Nothing at this pointer");

    /// <summary>No route matches the URL.</summary>
    public static readonly ProblemType RouteNotFound = new("route-not-found", StatusCodes.Status404NotFound, "No such route");

    /// <summary>The route exists but not for this method.</summary>
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "Method not allowed");

    /// <summary>A well-formed JSON Patch cannot apply to the current document; nothing was changed.</summary>
    public static readonly ProblemType PatchFailed = new("patch-failed", StatusCodes.Status409Conflict, "Patch failed");

    /// <summary>The <c>If-Match</c> version is not the root's current version; the problem carries <c>currentVersion</c>.</summary>
    public static readonly ProblemType VersionConflict = new("version-conflict", StatusCodes.Status412PreconditionFailed, "Version conflict");

    /// <summary>The request body, the resulting document or an expansion is over its size limit.</summary>
    public static readonly ProblemType TooLarge = new("too-large", StatusCodes.Status413PayloadTooLarge, "Too large");

    /// <summary>The body's <c>Content-Type</c> is not one this method takes.</summary>
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type");

    /// <summary>The <c>Idempotency-Key</c> was already used on this root for a different request.</summary>
    public static readonly ProblemType IdempotencyKeyReused = new("idempotency-key-reused", StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused");

    /// <summary>
    /// The URL path, as sent, has a <c>.</c> or <c>..</c> segment (also percent-encoded); routing would read it with the
    /// segment removed, so the gateway refuses it instead of guessing (docs/http-api.md).
    /// </summary>
    public static readonly ProblemType DotSegment = new("dot-segment", StatusCodes.Status400BadRequest, "Dot segment in URL path");

    /// <summary>The HTTP request itself is malformed (for example a truncated body).</summary>
    public static readonly ProblemType BadRequest = new("bad-request", StatusCodes.Status400BadRequest, "Bad request");

    /// <summary>The cluster is unreachable, overloaded or storage is down; retry after <c>Retry-After</c> seconds.</summary>
    public static readonly ProblemType Unavailable = new("unavailable", StatusCodes.Status503ServiceUnavailable, "Service unavailable");

    /// <summary>An unexpected failure inside the gateway; the log has the details, the response never does.</summary>
    public static readonly ProblemType InternalError = new("internal-error", StatusCodes.Status500InternalServerError, "Internal error");

    /// <summary>Every type above, for documentation and tests.</summary>
    public static IReadOnlyList<ProblemType> All { get; } =
    [
        InvalidRootId, InvalidJson, InvalidPointer, InvalidPatch, InvalidIdempotencyKey, InvalidIfMatch, InvalidExpand,
        InvalidDepth, NotAnObject, TooDeep, InvalidRequest, RootNotFound, PointerNotFound, RouteNotFound, MethodNotAllowed,
        PatchFailed, VersionConflict, TooLarge, UnsupportedMediaType, IdempotencyKeyReused, DotSegment, BadRequest, Unavailable,
        InternalError, InvalidQuery, UnknownIndex, InvalidIndex, IndexNotFound, IndexBuilding, IndexConflict, QueriesNotSupported,
        Unauthorized, Forbidden, RateLimited,
    ];

    /// <summary>
    /// The problem type for an error kind reported by the store, or null for a kind this gateway does not know — one
    /// added by silos newer than the gateway. Every kind defined in <see cref="ActorsErrorKind"/> has its own type
    /// (ProblemTypesUnitTests enumerates them), so adding a kind without a line here fails the tests, not a client.
    /// </summary>
    public static ProblemType? Find(ActorsErrorKind kind) => kind switch
    {
        ActorsErrorKind.InvalidRootId => InvalidRootId,
        ActorsErrorKind.InvalidJson => InvalidJson,
        ActorsErrorKind.InvalidPointer => InvalidPointer,
        ActorsErrorKind.InvalidPatch => InvalidPatch,
        // Over HTTP the write id is the Idempotency-Key.
        ActorsErrorKind.InvalidWriteId => InvalidIdempotencyKey,
        ActorsErrorKind.NotAnObject => NotAnObject,
        ActorsErrorKind.TooDeep => TooDeep,
        ActorsErrorKind.TooLarge => TooLarge,
        ActorsErrorKind.RootNotFound => RootNotFound,
        ActorsErrorKind.PointerNotFound => PointerNotFound,
        ActorsErrorKind.PatchFailed => PatchFailed,
        ActorsErrorKind.VersionConflict => VersionConflict,
        ActorsErrorKind.WriteIdReused => IdempotencyKeyReused,
        ActorsErrorKind.Unavailable => Unavailable,
        ActorsErrorKind.InvalidCommand => InvalidRequest,
        ActorsErrorKind.InvalidQuery => InvalidQuery,
        ActorsErrorKind.UnknownIndex => UnknownIndex,
        ActorsErrorKind.IndexBuilding => IndexBuilding,
        ActorsErrorKind.InvalidIndex => InvalidIndex,
        ActorsErrorKind.IndexConflict => IndexConflict,
        ActorsErrorKind.IndexNotFound => IndexNotFound,
        ActorsErrorKind.QueriesNotSupported => QueriesNotSupported,
        // Only a value outside the enum gets here (the test above rules out a defined one): the caller reports it.
        _ => null,
    };
}
