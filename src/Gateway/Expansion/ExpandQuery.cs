using System.Globalization;
using Actors.Gateway.Http;
using Actors.Gateway.Problems;

namespace Actors.Gateway.Expansion;

/// <summary>The <c>?expand=refs&amp;depth=N</c> query of a read (docs/data-model.md, weak references).</summary>
internal static class ExpandQuery
{
    /// <summary>The only value <c>expand</c> takes.</summary>
    public const string Refs = "refs";

    /// <summary>The deepest expansion allowed.</summary>
    public const int MaxDepth = 5;

    /// <summary>The depth used when <c>expand=refs</c> comes without <c>depth</c>.</summary>
    public const int DefaultDepth = 1;

    /// <summary>
    /// How many levels of references to expand: 0 without <c>expand</c>. A <c>depth</c> without <c>expand=refs</c>
    /// is still checked, so a typo in one parameter is reported rather than silently ignored.
    /// </summary>
    public static bool TryParse(string? expand, string? depth, out int levels, out RequestError? error)
    {
        levels = 0;
        error = null;
        var wanted = DefaultDepth;
        if (depth is not null
            && (!int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out wanted) || wanted > MaxDepth))
        {
            error = new RequestError(ProblemTypes.InvalidDepth, $"depth '{Shorten(depth)}' is invalid: it must be an integer from 0 to {MaxDepth} (default {DefaultDepth}).");
            return false;
        }
        if (expand is null)
        {
            return true;
        }
        if (!string.Equals(expand, Refs, StringComparison.Ordinal))
        {
            error = new RequestError(ProblemTypes.InvalidExpand, $"expand '{Shorten(expand)}' is invalid: the only value is '{Refs}' (expand=refs resolves weak references {{\"$ref\": \"type/id\"}}).");
            return false;
        }
        levels = wanted;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : string.Concat(text.AsSpan(0, 20), "…");
}
