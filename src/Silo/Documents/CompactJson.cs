using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// Writes documents in the stored form: compact UTF-8 JSON, checked against <see cref="DocumentLimits"/> as it is
/// written.
/// </summary>
/// <remarks>
/// The relaxed encoder keeps non-ASCII text and characters like '&lt;' as they are instead of \uXXXX escapes: the
/// stored form is JSON for JSON readers, never embedded in HTML, and the size limit should count the text, not the
/// escaping. The writer's own <see cref="JsonWriterOptions.MaxDepth"/> enforces the depth limit, so measuring depth
/// costs no extra walk.
/// </remarks>
internal static class CompactJson
{
    /// <summary>Serializes <paramref name="document"/> (null is JSON null), or returns TooDeep / TooLarge.</summary>
    public static bool TryWrite(JsonNode? document, DocumentLimits limits, [NotNullWhen(true)] out string? json, [NotNullWhen(false)] out ActorsError? error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            using var writer = new Utf8JsonWriter(buffer, WriterOptions(limits.MaxDepth));
            if (document is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                document.WriteTo(writer);
            }
        }
        catch (InvalidOperationException) when (DocumentLimitsChecker.CheckDepth(document, limits) is not null)
        {
            json = null;
            error = ActorsError.TooDeep(limits.MaxDepth);
            return false;
        }

        return Finish(buffer, limits, out json, out error);
    }

    /// <summary>Serializes a parsed value, or returns TooLarge.</summary>
    /// <remarks>Depth is not checked here: the value was parsed with the depth limit.</remarks>
    public static bool TryWrite(JsonElement document, DocumentLimits limits, [NotNullWhen(true)] out string? json, [NotNullWhen(false)] out ActorsError? error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(DocumentLimits.MaxConfigurableDepth * 2)))
        {
            document.WriteTo(writer);
        }

        return Finish(buffer, limits, out json, out error);
    }

    /// <summary>The size in bytes of the compact form of <paramref name="value"/>.</summary>
    /// <remarks>Recursive through the writer: call it only on trees whose depth is bounded.</remarks>
    public static long Measure(JsonNode? value)
    {
        if (value is null)
        {
            return 4;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(DocumentLimits.MaxConfigurableDepth * 2)))
        {
            value.WriteTo(writer);
        }

        return buffer.WrittenCount;
    }

    private static JsonWriterOptions WriterOptions(int maxDepth) => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = maxDepth,
    };

    private static bool Finish(ArrayBufferWriter<byte> buffer, DocumentLimits limits, [NotNullWhen(true)] out string? json, [NotNullWhen(false)] out ActorsError? error)
    {
        error = DocumentLimitsChecker.CheckSize(buffer.WrittenCount, limits);
        if (error is not null)
        {
            json = null;
            return false;
        }

        json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return true;
    }
}
