namespace Actors.Contracts;

/// <summary>
/// What an indexed value must satisfy: equal to one JSON literal, within a range, or (strings) starting with a prefix.
/// Literals are JSON text (<c>"open"</c>, <c>3</c>, <c>true</c>), exactly as they travel in HTTP and XMPP.
/// </summary>
/// <remarks>
/// Exactly one form is used: <see cref="Eq"/> alone; or one lower bound (<see cref="Lower"/>) and/or one upper bound
/// (<see cref="Upper"/>) of the same JSON type; or <see cref="Prefix"/> alone. Anything else is an invalid query.
/// </remarks>
/// <param name="Eq">The value must equal this JSON literal.</param>
/// <param name="Lower">The value must be greater than (or equal to, with <paramref name="LowerInclusive"/>) this literal.</param>
/// <param name="LowerInclusive"><c>ge</c> rather than <c>gt</c>.</param>
/// <param name="Upper">The value must be less than (or equal to, with <paramref name="UpperInclusive"/>) this literal.</param>
/// <param name="UpperInclusive"><c>le</c> rather than <c>lt</c>.</param>
/// <param name="Prefix">The value must be a string starting with this text (not JSON: the characters themselves).</param>
[GenerateSerializer, Immutable]
public sealed record IndexCondition(
    [property: Id(0)] string? Eq = null,
    [property: Id(1)] string? Lower = null,
    [property: Id(2)] bool LowerInclusive = true,
    [property: Id(3)] string? Upper = null,
    [property: Id(4)] bool UpperInclusive = true,
    [property: Id(5)] string? Prefix = null)
{
    /// <summary>Values equal to <paramref name="json"/>.</summary>
    public static IndexCondition Equal(string json) => new(Eq: json);

    /// <summary>String values starting with <paramref name="prefix"/>.</summary>
    public static IndexCondition StartsWith(string prefix) => new(Prefix: prefix);

    /// <summary>Values within bounds (either may be null; inclusive by default).</summary>
    public static IndexCondition Between(string? lower, string? upper, bool lowerInclusive = true, bool upperInclusive = true) =>
        new(Lower: lower, LowerInclusive: lowerInclusive, Upper: upper, UpperInclusive: upperInclusive);
}
