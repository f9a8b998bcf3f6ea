namespace Actors.Contracts;

/// <summary>The bounds of a query page (DESIGN §8).</summary>
public static class QueryLimits
{
    /// <summary>The smallest <see cref="RootQuery.Limit"/>.</summary>
    public const int MinLimit = 1;

    /// <summary>The largest <see cref="RootQuery.Limit"/>.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The <see cref="RootQuery.Limit"/> when none is given.</summary>
    public const int DefaultLimit = 100;
}
