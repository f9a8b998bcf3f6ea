using Actors.Gateway.Problems;
using Microsoft.Extensions.Primitives;

namespace Actors.Gateway.Http;

/// <summary>
/// Maps the <c>Idempotency-Key</c> header to a write id (docs/http-api.md): 1–128 visible ASCII characters
/// (<c>!</c> to <c>~</c>). Without the header the gateway makes a fresh id, so the write is applied once but cannot be
/// retried safely.
/// </summary>
internal static class IdempotencyKeys
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// Prefix of write ids that come from HTTP. Write ids are scoped to a root and shared with the XMPP bridge, whose ids
    /// are <c>jid + id</c>; the prefix keeps an HTTP key from ever colliding with one of those.
    /// </summary>
    public const string WriteIdPrefix = "http:";

    /// <summary>The write id for the request's key, or a new one when the header is absent.</summary>
    public static bool TryGetWriteId(StringValues values, out string writeId, out RequestError? error)
    {
        writeId = string.Empty;
        error = null;
        if (values.Count == 0)
        {
            writeId = WriteIdPrefix + "gw-" + Guid.NewGuid().ToString("N");
            return true;
        }
        if (values.Count > 1)
        {
            error = Invalid("it was sent more than once");
            return false;
        }
        var key = values[0] ?? string.Empty;
        if (key.Length == 0)
        {
            error = Invalid("it is empty");
            return false;
        }
        if (key.Length > MaxLength)
        {
            error = Invalid($"it is {key.Length} characters long");
            return false;
        }
        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                error = Invalid($"it contains U+{(int)c:X4}");
                return false;
            }
        }
        writeId = WriteIdPrefix + key;
        return true;
    }

    private static RequestError Invalid(string why) => new(
        ProblemTypes.InvalidIdempotencyKey,
        $"Idempotency-Key is invalid: {why}. Send one key of 1-{MaxLength} visible ASCII characters (! to ~, no spaces), e.g. a UUID, and reuse it only to retry the same request.");
}
