using System.Globalization;
using Actors.Gateway.Problems;
using Microsoft.Extensions.Primitives;

namespace Actors.Gateway.Http;

/// <summary>
/// The gateway's entity tags: the root's version as a strong tag, <c>"&lt;version&gt;"</c> (RFC 9110 §8.8.3).
/// </summary>
internal static class EntityTags
{
    /// <summary>The tag for <paramref name="version"/>.</summary>
    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// Reads <c>If-Match</c> as an ifVersion: absent → null. Only one strong tag is accepted: RFC 9110 §13.1.1 compares
    /// If-Match strongly, so a weak tag could never match, and <c>*</c> or a list cannot be expressed as one version;
    /// refusing them with <c>400</c> beats a surprising <c>412</c>.
    /// </summary>
    public static bool TryParseIfMatch(StringValues values, out long? ifVersion, out RequestError? error)
    {
        ifVersion = null;
        error = null;
        if (values.Count == 0)
        {
            return true;
        }
        var text = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(text))
        {
            error = Invalid(values.Count > 1 ? "it was sent more than once" : "it is empty");
            return false;
        }
        if (text == "*")
        {
            error = Invalid("'*' is not supported");
            return false;
        }
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            error = Invalid("weak tags (W/\"…\") never match in If-Match");
            return false;
        }
        if (text.Length < 3 || text[0] != '"' || text[^1] != '"'
            || !long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            error = Invalid($"'{Shorten(text)}' is not a quoted version number");
            return false;
        }
        ifVersion = version;
        return true;
    }

    private static RequestError Invalid(string why) => new(
        ProblemTypes.InvalidIfMatch,
        $"If-Match is invalid: {why}. Send exactly one strong entity tag holding the version you read, e.g. If-Match: \"3\" (the ETag of your last GET or write).");

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
