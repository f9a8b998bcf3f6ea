using System.Diagnostics.CodeAnalysis;

namespace Actors.Contracts;

/// <summary>The outcome of <see cref="IRootGrain.ReadAsync"/>.</summary>
/// <param name="Root">The root read, <c>type/id</c>.</param>
/// <param name="Version">The root's current version (0 if it never existed).</param>
/// <param name="Json">The document, or the subtree at the requested pointer, as compact JSON; null on error.</param>
/// <param name="Error">Why nothing was read (root absent, pointer invalid or not found); null on success.</param>
[GenerateSerializer, Immutable]
public sealed record ReadResult(
    [property: Id(0)] string Root,
    [property: Id(1)] long Version,
    [property: Id(2)] string? Json,
    [property: Id(3)] ActorsError? Error = null)
{
    /// <summary>True when <see cref="Json"/> holds the value read.</summary>
    [MemberNotNullWhen(true, nameof(Json))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>Returns this result, or throws <see cref="ActorsException"/> carrying <see cref="Error"/>.</summary>
    public ReadResult EnsureSuccess() => Error is null ? this : throw new ActorsException(Error);
}
