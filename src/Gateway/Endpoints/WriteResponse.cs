using System.Text.Json.Serialization;

namespace Actors.Gateway.Endpoints;

/// <summary>The body of every successful write (docs/http-api.md).</summary>
/// <param name="Root">The root written, <c>type/id</c>.</param>
/// <param name="Version">The root's version after the write; also sent as the <c>ETag</c>.</param>
/// <param name="Duplicate">True when this Idempotency-Key was seen before: the original result, nothing changed.</param>
/// <param name="Deleted">True for a delete; absent for other writes.</param>
public sealed record WriteResponse(
    string Root,
    long Version,
    bool Duplicate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Deleted = null);
