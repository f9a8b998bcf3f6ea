namespace Actors.Contracts;

/// <summary>
/// One page of a list or an index query over the roots of one type (docs/queries.md): the HTTP parameters of
/// <c>GET /v1/roots/{type}</c>, the attributes of the XMPP <c>&lt;query/&gt;</c>, and what <see cref="IRootQueryGrain"/> runs.
/// </summary>
/// <param name="Type">The root type queried, e.g. <c>topic</c>.</param>
/// <param name="Index">The index to read, or null to list the type in root-id order.</param>
/// <param name="Condition">What the indexed value must satisfy; null for every root in the index (or the type).</param>
/// <param name="Descending">Highest indexed value (or root id) first.</param>
/// <param name="Limit">The most items one page holds, <see cref="QueryLimits.MinLimit"/>–<see cref="QueryLimits.MaxLimit"/>.</param>
/// <param name="After">The <see cref="QueryPage.Next"/> token of the previous page of this same query; null for the first page.</param>
/// <param name="IncludeDocuments">Each item also carries its document.</param>
/// <param name="Filters">Conditions on the documents, evaluated after the index and AND-ed; a filtered page may hold fewer items.</param>
[GenerateSerializer, Immutable]
public sealed record RootQuery(
    [property: Id(0)] string Type,
    [property: Id(1)] string? Index = null,
    [property: Id(2)] IndexCondition? Condition = null,
    [property: Id(3)] bool Descending = false,
    [property: Id(4)] int Limit = QueryLimits.DefaultLimit,
    [property: Id(5)] string? After = null,
    [property: Id(6)] bool IncludeDocuments = false,
    [property: Id(7)] IReadOnlyList<QueryFilter>? Filters = null)
{
    /// <summary>The same query, continuing after <paramref name="next"/>.</summary>
    public RootQuery ContinueAfter(string next) => this with { After = next };
}
