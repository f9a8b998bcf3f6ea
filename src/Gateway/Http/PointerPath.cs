using System.Text;
using Actors.Contracts;
using Actors.Gateway.Problems;

namespace Actors.Gateway.Http;

/// <summary>
/// Turns the URL path after <c>/v1/roots/{type}/{id}</c> into an RFC 6901 JSON Pointer: every path segment is one
/// reference token.
/// </summary>
/// <remarks>
/// A segment is written the way the token appears inside a JSON Pointer — <c>~0</c> for <c>~</c>, <c>~1</c> for
/// <c>/</c> — and then percent-encoded like any URL segment (UTF-8). A percent-encoded slash (<c>%2F</c>) inside a
/// segment is also taken as a literal <c>/</c> in the key, the same as <c>~1</c>. So <c>…/a~1b/%C3%A9/0</c> is the
/// pointer <c>/a~1b/é/0</c>. The segments are read from the raw request target, because the decoded path that routing
/// sees cannot tell <c>%2F</c> from <c>%252F</c>. That is only sound while the raw path and the routed one have the same
/// segments, so a path with a <c>.</c> or <c>..</c> segment, which routing sees with those removed, is refused
/// (<see cref="RequestPath"/>); keys named <c>.</c> or <c>..</c> therefore cannot be read through the URL.
/// </remarks>
internal static class PointerPath
{
    // "", "v1", "roots", "{type}", "{id}" precede the pointer's tokens.
    private const int PrefixSegments = 5;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The JSON Pointer the request addresses, or the problem that refuses it.</summary>
    public static bool TryGetPointer(HttpRequest request, out string pointer, out RequestError? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The gateway's middleware already refused these; checked again so this method is right on its own.
        if (RequestPath.CheckNoDotSegments(request) is { } dotSegment)
        {
            pointer = string.Empty;
            error = dotSegment;
            return false;
        }
        var (path, encoded) = RequestPath.Raw(request);
        var segments = path.Split('/');
        var tokens = new List<string>(Math.Max(segments.Length - PrefixSegments, 0));
        for (var i = PrefixSegments; i < segments.Length; i++)
        {
            if (!TryDecode(segments[i], encoded, out var token))
            {
                pointer = string.Empty;
                error = new RequestError(ProblemTypes.InvalidPointer, $"Path segment '{segments[i]}' is not valid percent-encoded UTF-8; encode each byte of a UTF-8 character as %XX.");
                return false;
            }
            tokens.Add(token.Replace("/", "~1", StringComparison.Ordinal));
        }
        pointer = tokens.Count == 0 ? string.Empty : "/" + string.Join('/', tokens);
        error = Validate(pointer);
        return error is null;
    }

    /// <summary>Checks RFC 6901 §3: a <c>~</c> must be followed by <c>0</c> or <c>1</c>.</summary>
    public static RequestError? Validate(string pointer)
    {
        for (var i = 0; i < pointer.Length; i++)
        {
            if (pointer[i] == '~' && (i + 1 == pointer.Length || pointer[i + 1] is not ('0' or '1')))
            {
                return new RequestError(
                    ProblemTypes.InvalidPointer,
                    ActorsError.InvalidPointer(pointer, "'~' must be followed by '0' (for '~') or '1' (for '/')").Message + " In the URL, write a key's '~' as ~0 and its '/' as ~1.");
            }
        }
        return null;
    }

    private static bool TryDecode(string segment, bool encoded, out string token)
    {
        if (!encoded || !segment.Contains('%', StringComparison.Ordinal))
        {
            token = encoded ? segment : segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            return true;
        }
        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !Uri.IsHexDigit(segment[i + 1]) || !Uri.IsHexDigit(segment[i + 2]))
                {
                    token = string.Empty;
                    return false;
                }
                bytes.Add((byte)((Uri.FromHex(segment[i + 1]) << 4) | Uri.FromHex(segment[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // A raw non-ASCII character in the request line: keep it as its UTF-8 bytes.
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        try
        {
            token = StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            token = string.Empty;
            return false;
        }
    }
}
