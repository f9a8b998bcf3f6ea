namespace Actors.Contracts;

/// <summary>A condition on each document of a page: the value at <paramref name="Pointer"/> compared with a JSON literal.</summary>
/// <param name="Pointer">An RFC 6901 JSON Pointer into the document.</param>
/// <param name="Op">The comparison.</param>
/// <param name="Json">The JSON literal compared with (<c>"open"</c>, <c>3</c>, <c>true</c>, <c>null</c>).</param>
/// <remarks>
/// Values of different JSON types are never equal and never ordered: <c>lt 3</c> does not match a string, and
/// <c>ne 3</c> matches everything that is not the number 3, an absent value included.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record QueryFilter(
    [property: Id(0)] string Pointer,
    [property: Id(1)] FilterOp Op,
    [property: Id(2)] string Json);
