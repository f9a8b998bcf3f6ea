using Actors.Gateway.Problems;
using Microsoft.AspNetCore.Http.Features;

namespace Actors.Gateway.Http;

/// <summary>
/// The request's path as the client sent it, and the refusal of paths with <c>.</c> or <c>..</c> segments, so that
/// routing (which sees the path with those segments removed) and <see cref="PointerPath"/> (which reads the path as
/// sent) always agree on what a URL means.
/// </summary>
/// <remarks>
/// Kestrel decodes the path and removes dot segments (RFC 3986 §5.2.4) before routing, so
/// <c>/v1/roots/topic/./42/x</c> is routed to <c>topic/42</c> with pointer <c>/x</c>, while the same URL read segment by
/// segment means a root with id <c>.</c>. Clients that follow RFC 3986 never send dot segments: curl, browsers and
/// <see cref="HttpClient"/> remove them first, and proxies may too. So only a client that sends its path as-is (curl
/// <c>--path-as-is</c>, Go's net/http, a raw socket) reaches the gateway with one, most likely because a member named
/// <c>.</c> or <c>..</c> was put into the URL unencoded (<c>.</c> is unreserved, so percent-encoding functions leave it
/// alone). Answering such a request with another member, or another root (<c>topic/43/../42</c>), would be a silent
/// surprise, and its meaning would depend on whether something on the way normalised the URL; refusing it is not.
/// </remarks>
internal static class RequestPath
{
    /// <summary>
    /// The path of the request target as received, without the query, and whether it is still percent-encoded. Falls
    /// back to the decoded path (where dot segments are already gone and only <c>%2F</c> is still encoded) when the
    /// server gives no raw target.
    /// </summary>
    public static (string Path, bool Encoded) Raw(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 })
        {
            var start = 0;
            if (raw[0] != '/')
            {
                // Absolute form (RFC 9112 §3.2.2), e.g. through a forward proxy: the path starts after the authority.
                var authority = raw.IndexOf("://", StringComparison.Ordinal);
                start = authority < 0 ? -1 : raw.IndexOf('/', authority + 3);
            }
            if (start >= 0)
            {
                var end = raw.IndexOfAny(['?', '#'], start);
                return (end < 0 ? raw[start..] : raw[start..end], true);
            }
        }
        return ((request.PathBase + request.Path).Value ?? string.Empty, false);
    }

    /// <summary>The problem refusing the request when its path, as sent, has a dot segment; null when it has none.</summary>
    public static RequestError? CheckNoDotSegments(HttpRequest request)
    {
        var (path, encoded) = Raw(request);
        if (!encoded || (path.IndexOf("/.", StringComparison.Ordinal) < 0 && path.IndexOf('%') < 0))
        {
            return null;
        }
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (IsDotSegment(segments[i]))
            {
                var before = string.Join('/', segments, 0, i) + "/";
                return new RequestError(
                    ProblemTypes.DotSegment,
                    $"The URL path has a '{segments[i]}' segment after '{Shorten(before)}'. HTTP clients remove '.' and '..' segments before sending (RFC 3986 §5.2.4), so the gateway refuses them rather than guess what was meant: remove the segment from the URL (curl keeps it only with --path-as-is). A member named '.' or '..' cannot be addressed in the URL path; read its parent and take the member from the JSON.");
            }
        }
        return null;
    }

    /// <summary>
    /// True for <c>.</c> and <c>..</c>, also percent-encoded (<c>%2E</c>, <c>.%2e</c>, …): the server decodes
    /// <c>%2E</c> before it removes dot segments (RFC 3986 §6.2.2.2 makes them equivalent).
    /// </summary>
    public static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '.')
            {
                dots++;
            }
            else if (segment[i] == '%' && i + 2 < segment.Length && segment[i + 1] == '2' && segment[i + 2] is 'E' or 'e')
            {
                dots++;
                i += 2;
            }
            else
            {
                return false;
            }
        }
        return dots is 1 or 2;
    }

    /// <summary>Refuses, before any endpoint runs, every request whose path has a dot segment (see the remarks of <see cref="RequestPath"/>).</summary>
    public static Task RefuseDotSegmentsAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return CheckNoDotSegments(context.Request) is { } error
            ? ProblemResults.Create(context, error.Type, error.Detail).ExecuteAsync(context)
            : next(context);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
