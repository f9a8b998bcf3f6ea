using System.Diagnostics.CodeAnalysis;

namespace Actors.Contracts;

/// <summary>One page of a query: its items in order, and the token of the next page.</summary>
/// <param name="Items">The roots of this page, in the query's order; may be fewer than the limit (or none) when filtered.</param>
/// <param name="Next">Pass as <see cref="RootQuery.After"/> for the next page; null when nothing can remain.</param>
/// <param name="Error">Why the query was refused (nothing was read); null on success.</param>
[GenerateSerializer, Immutable]
public sealed record QueryPage(
    [property: Id(0)] IReadOnlyList<QueryItem> Items,
    [property: Id(1)] string? Next,
    [property: Id(2)] ActorsError? Error = null)
{
    /// <summary>True when <see cref="Error"/> is null.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>A refused query.</summary>
    public static QueryPage Refused(ActorsError error) => new([], null, error);

    /// <summary>Returns this page, or throws <see cref="ActorsException"/> carrying <see cref="Error"/>.</summary>
    public QueryPage EnsureSuccess() => Error is null ? this : throw new ActorsException(Error);
}
