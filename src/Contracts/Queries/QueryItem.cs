namespace Actors.Contracts;

/// <summary>One root in a query page.</summary>
/// <param name="Root">The root, <c>type/id</c>.</param>
/// <param name="Version">Its version as of the read.</param>
/// <param name="Document">Its document as compact JSON, as of the read, when the query asked for documents; else null.</param>
[GenerateSerializer, Immutable]
public sealed record QueryItem(
    [property: Id(0)] string Root,
    [property: Id(1)] long Version,
    [property: Id(2)] string? Document = null);
