using System.Buffers;
using System.Text;
using System.Text.Json;
using Actors.Gateway.Problems;

namespace Actors.Gateway.Http;

/// <summary>
/// Reads a write's body with a hard size limit and checks that it is well-formed UTF-8 JSON before any grain sees it.
/// </summary>
/// <remarks>
/// The limit is enforced here as well as by Kestrel's <c>MaxRequestBodySize</c>, so it holds under any server (and
/// for chunked bodies), and so an oversized <c>Content-Length</c> is refused before the body is read at all — a client
/// that sent <c>Expect: 100-continue</c> then never uploads it.
/// </remarks>
internal static class RequestBody
{
    /// <summary>
    /// The most memory reserved before any byte arrives. The buffer grows with the data actually received, so a client
    /// that announces 2 MiB and sends a byte a second holds kilobytes, not the announced size, for as long as it trickles.
    /// </summary>
    public const int MaxInitialBufferBytes = 16 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The buffer reserved for a body of <paramref name="contentLength"/> bytes before reading it.</summary>
    public static int InitialBufferBytes(long? contentLength) =>
        contentLength is > 0 and var length ? (int)Math.Min(length, MaxInitialBufferBytes) : 4096;

    /// <summary>The body as JSON text, or the problem that refuses it.</summary>
    public static async Task<(string? Json, RequestError? Error)> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(request.ContentLength.Value, limit));
        }
        var buffer = new ArrayBufferWriter<byte>(InitialBufferBytes(request.ContentLength));
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(16 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }
                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    return (null, TooLarge(null, limit));
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(null, limit));
        }
        var bytes = buffer.WrittenSpan;
        if (bytes.IsEmpty)
        {
            return (null, new RequestError(ProblemTypes.InvalidJson, "The body is empty: send a JSON document."));
        }
        if (Validate(bytes) is { } syntaxError)
        {
            return (null, new RequestError(ProblemTypes.InvalidJson, $"The body is not valid JSON: {syntaxError}"));
        }
        string json;
        try
        {
            json = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, new RequestError(ProblemTypes.InvalidJson, "The body is not valid UTF-8: JSON must be sent as UTF-8 (RFC 8259 §8.1)."));
        }
        return (json, null);
    }

    /// <summary>The reader's message when <paramref name="utf8"/> is not one complete JSON value; null when it is.</summary>
    private static string? Validate(ReadOnlySpan<byte> utf8)
    {
        // Nesting is not limited here: the store enforces its own depth limit with a clear "too deep" error, and
        // Utf8JsonReader does not recurse, so a deep body costs no stack.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = int.MaxValue, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException exception)
        {
            return exception.Message;
        }
    }

    private static RequestError TooLarge(long? size, long limit) => new(
        ProblemTypes.TooLarge,
        size is { } known
            ? $"The request body is {known:N0} bytes; this gateway accepts at most {limit:N0}. Split the document into several roots linked with {{\"$ref\": \"type/id\"}}."
            : $"The request body is over {limit:N0} bytes, the most this gateway accepts. Split the document into several roots linked with {{\"$ref\": \"type/id\"}}.");
}
