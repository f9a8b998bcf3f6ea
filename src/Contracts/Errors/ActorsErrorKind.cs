namespace Actors.Contracts;

/// <summary>
/// Every kind of error the store reports. The HTTP gateway maps each to a status and a stable problem <c>type</c>, the
/// XMPP bridge to a stanza error (docs/http-api.md and docs/xmpp-bridge.md). Numeric values are part of the wire contract: never renumber.
/// </summary>
public enum ActorsErrorKind
{
    /// <summary>The root id breaks a rule of docs/data-model.md.</summary>
    InvalidRootId = 1,

    /// <summary>The body is not well-formed JSON.</summary>
    InvalidJson = 2,

    /// <summary>A JSON Pointer is syntactically invalid (not starting with '/', bad '~' escape).</summary>
    InvalidPointer = 3,

    /// <summary>A JSON Patch is malformed: not an array, unknown op, missing or mistyped member.</summary>
    InvalidPatch = 4,

    /// <summary>The write id is missing or too long.</summary>
    InvalidWriteId = 5,

    /// <summary>The body (put, merge) or the result of the write is not a JSON object.</summary>
    NotAnObject = 6,

    /// <summary>The document would nest deeper than the configured limit (64 by default).</summary>
    TooDeep = 7,

    /// <summary>The document would be larger than the configured limit (1 MiB by default), or a request was too big.</summary>
    TooLarge = 8,

    /// <summary>The root does not exist (never created, or deleted).</summary>
    RootNotFound = 9,

    /// <summary>A well-formed JSON Pointer addresses nothing in the document.</summary>
    PointerNotFound = 10,

    /// <summary>A well-formed JSON Patch cannot apply to the document (a test failed, a path is missing).</summary>
    PatchFailed = 11,

    /// <summary>The ifVersion precondition failed; <see cref="ActorsError.CurrentVersion"/> carries the current version.</summary>
    VersionConflict = 12,

    /// <summary>The write id was already used on this root for a different command.</summary>
    WriteIdReused = 13,

    /// <summary>Storage or the cluster is unreachable, the silo is draining, or it is overloaded; retry later.</summary>
    Unavailable = 14,

    /// <summary>A body is present where none is allowed, or missing where one is required, or the op is unknown.</summary>
    InvalidCommand = 15,

    /// <summary>A query is malformed: a bad JSON literal, operator combination, limit, filter or page token (docs/queries.md).</summary>
    InvalidQuery = 16,

    /// <summary>A query names an index the type does not have; the message names the ones it has.</summary>
    UnknownIndex = 17,

    /// <summary>The queried index is still being built; <see cref="ActorsError.Progress"/> says how far.</summary>
    IndexBuilding = 18,

    /// <summary>An index declaration breaks a rule: its name or pointer.</summary>
    InvalidIndex = 19,

    /// <summary>An index of that name exists with another pointer; drop it first.</summary>
    IndexConflict = 20,

    /// <summary>The index does not exist (show or drop).</summary>
    IndexNotFound = 21,

    /// <summary>The configured root storage cannot answer queries (only the Redis storage can).</summary>
    QueriesNotSupported = 22,
}
