using Actors.Contracts;
using Microsoft.Net.Http.Headers;

namespace Actors.Gateway.Http;

/// <summary>
/// The media types the gateway takes, and the one list of which write each method and body means
/// (<see cref="WriteFormats"/>): the routes' accepted types, the OpenAPI document, <c>Accept-Patch</c> and every
/// <c>415</c> message derive from it.
/// </summary>
internal static class MediaTypes
{
    /// <summary>JSON: documents the gateway answers with, and the body of a PUT.</summary>
    public const string Json = "application/json";

    /// <summary>
    /// Every body a write takes, from the one list of write ops (<see cref="WriteOps.All"/>). For PATCH the media type
    /// picks the operation (RFC 5789 §2): the two patch formats mean different things, so the same body sent as the
    /// other type is another request.
    /// </summary>
    public static IReadOnlyList<BodyFormat> WriteFormats { get; } =
    [
        .. WriteOps.All
            .Where(op => op.MediaType is not null)
            .Select(op => new BodyFormat(op.HttpMethod, op.MediaType!, op.Op, HttpMethods.IsPut(op.HttpMethod) ? null : op.Summary)),
    ];

    /// <summary>The value of <c>Accept-Patch</c> (RFC 5789 §3.1): the media types PATCH takes.</summary>
    public static string AcceptPatch { get; } = string.Join(", ", For(HttpMethods.Patch).Select(format => format.MediaType));

    /// <summary>The bodies <paramref name="method"/> takes, in the order of <see cref="WriteFormats"/>.</summary>
    public static IReadOnlyList<BodyFormat> For(string method) =>
        [.. WriteFormats.Where(format => HttpMethods.Equals(format.Method, method))];

    /// <summary>The write a <paramref name="method"/> request with this <c>Content-Type</c> makes; null when the method does not take it.</summary>
    public static WriteOp? Op(string method, string? contentType)
    {
        var mediaType = Essence(contentType);
        foreach (var format in WriteFormats)
        {
            if (format.MediaType == mediaType && HttpMethods.Equals(format.Method, method))
            {
                return format.Op;
            }
        }
        return null;
    }

    /// <summary>The bodies <paramref name="method"/> takes, in words, e.g. <c>PUT takes application/json</c>.</summary>
    public static string Takes(string method)
    {
        var formats = For(method);
        return formats.Count == 0 ? $"{method} takes no body" : $"{method} takes {string.Join(" or ", formats)}";
    }

    /// <summary>The detail of a <c>415</c> for <paramref name="request"/>: what it sent and what its method takes.</summary>
    public static string UnsupportedDetail(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = string.IsNullOrWhiteSpace(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
        return $"The request has {sent}; {Takes(request.Method)} (charset, if given, must be utf-8).";
    }

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
