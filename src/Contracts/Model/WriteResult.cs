using System.Diagnostics.CodeAnalysis;

namespace Actors.Contracts;

/// <summary>
/// The outcome of <see cref="IRootGrain.WriteAsync"/>: either the applied write (<see cref="Error"/> is null) or a typed error.
/// </summary>
/// <param name="Root">The root written, <c>type/id</c>.</param>
/// <param name="Version">The root's version after the write (for an error: the current version, 0 if it never existed).</param>
/// <param name="Duplicate">True when the write id was seen before: this is the original result and nothing changed.</param>
/// <param name="Created">True when the write brought the root into existence (absent or deleted before).</param>
/// <param name="Deleted">True for an applied delete.</param>
/// <param name="Error">Why the write was refused; null when it was applied (or is a duplicate of an applied one).</param>
[GenerateSerializer, Immutable]
public sealed record WriteResult(
    [property: Id(0)] string Root,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Duplicate = false,
    [property: Id(3)] bool Created = false,
    [property: Id(4)] bool Deleted = false,
    [property: Id(5)] ActorsError? Error = null)
{
    /// <summary>True when the write is durable in storage (applied now or earlier).</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>Returns this result, or throws <see cref="ActorsException"/> carrying <see cref="Error"/>.</summary>
    public WriteResult EnsureSuccess() => Error is null ? this : throw new ActorsException(Error);
}
