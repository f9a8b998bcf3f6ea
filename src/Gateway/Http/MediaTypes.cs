using Microsoft.Net.Http.Headers;

namespace Actors.Gateway.Http;

/// <summary>The media types the gateway takes, and the check of a request's <c>Content-Type</c> against them.</summary>
internal static class MediaTypes
{
    /// <summary>PUT bodies.</summary>
    public const string Json = "application/json";

    /// <summary>RFC 7386 JSON Merge Patch: PATCH → <c>merge</c>.</summary>
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>RFC 6902 JSON Patch: PATCH → <c>patch</c>.</summary>
    public const string JsonPatch = "application/json-patch+json";

    /// <summary>
    /// The media type of <paramref name="contentType"/> (lowercase, without parameters) when it is well-formed and any
    /// <c>charset</c> is UTF-8, the only encoding JSON may use between systems (RFC 8259 §8.1); otherwise null.
    /// </summary>
    public static string? Essence(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return null;
        }
        var charset = parsed.Charset.Value;
        if (charset is not null && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return mediaType.ToLowerInvariant();
    }
}
