using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// Parses JSON that came from outside (request bodies) with a depth limit, turning failures into typed errors:
/// <see cref="ActorsErrorKind.TooDeep"/> when the nesting is over the limit, <see cref="ActorsErrorKind.InvalidJson"/>
/// with the parser's position otherwise.
/// </summary>
/// <remarks>
/// System.Text.Json parses without recursion and stops at <see cref="JsonDocumentOptions.MaxDepth"/>, so a body nested
/// 10,000 deep costs one short scan and never a stack overflow. Duplicate member names are refused: RFC 8259 leaves
/// their meaning open, and a JsonObject holding them throws on first use, far from the write that brought them in.
/// </remarks>
internal static class JsonInput
{
    /// <summary>The depth used for documents we stored ourselves; they were checked on the way in.</summary>
    public const int StoredMaxDepth = DocumentLimits.MaxConfigurableDepth;

    /// <summary>Parses <paramref name="json"/> into a mutable tree; null for JSON null.</summary>
    public static bool TryParseNode(string json, int maxDepth, out JsonNode? node, [NotNullWhen(false)] out ActorsError? error)
    {
        try
        {
            node = JsonNode.Parse(json, documentOptions: Options(maxDepth));
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            node = null;
            error = Classify(json, maxDepth, ex);
            return false;
        }
    }

    /// <summary>Parses <paramref name="json"/> into a read-only document the caller must dispose.</summary>
    public static bool TryParseDocument(string json, int maxDepth, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out ActorsError? error)
    {
        try
        {
            document = JsonDocument.Parse(json, Options(maxDepth));
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            document = null;
            error = Classify(json, maxDepth, ex);
            return false;
        }
    }

    private static JsonDocumentOptions Options(int maxDepth) => new()
    {
        MaxDepth = maxDepth,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    // Runs only on the error path: a second, bounded scan tells "too deep" from "malformed" without depending on the
    // wording of the parser's message. The scan allows one level more than the limit so it sees the offending
    // container before the reader's own depth check fires.
    private static ActorsError Classify(string json, int maxDepth, JsonException ex)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > maxDepth)
                {
                    return ActorsError.TooDeep(maxDepth);
                }
            }
        }
        catch (JsonException)
        {
            // Malformed before reaching the depth limit: report the parser's own error below.
        }

        return ActorsError.InvalidJson(Describe(ex));
    }

    private static string Describe(JsonException ex)
    {
        // The parser appends "LineNumber: … | BytePositionInLine: …" to its message; say it once, 1-based, in our words.
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        return ex.LineNumber is { } line && ex.BytePositionInLine is { } column
            ? $"{message.TrimEnd()} (line {line + 1}, byte {column + 1})."
            : message;
    }
}
