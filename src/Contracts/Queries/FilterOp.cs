namespace Actors.Contracts;

/// <summary>The comparisons of a <see cref="QueryFilter"/>; the wire names are the lowercase member names.</summary>
public enum FilterOp
{
    /// <summary>Equal.</summary>
    Eq = 1,

    /// <summary>Not equal (an absent value is not equal).</summary>
    Ne = 2,

    /// <summary>Less than.</summary>
    Lt = 3,

    /// <summary>Less than or equal.</summary>
    Le = 4,

    /// <summary>Greater than.</summary>
    Gt = 5,

    /// <summary>Greater than or equal.</summary>
    Ge = 6,
}
