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
        var output = Rent(limits.MaxDepth);
        try
        {
            if (document is null)
            {
                output.Writer.WriteNullValue();
            }
            else
            {
                document.WriteTo(output.Writer);
            }
            output.Writer.Flush();
        }
        catch (InvalidOperationException) when (DocumentLimitsChecker.CheckDepth(document, limits) is not null)
        {
            json = null;
            error = ActorsError.TooDeep(limits.MaxDepth);
            return false;
        }

        return Finish(output, limits, out json, out error);
    }

    /// <summary>Serializes a parsed value, or returns TooLarge.</summary>
    /// <remarks>Depth is not checked here: the value was parsed with the depth limit.</remarks>
    public static bool TryWrite(JsonElement document, DocumentLimits limits, [NotNullWhen(true)] out string? json, [NotNullWhen(false)] out ActorsError? error)
    {
        var output = Rent(UncheckedDepth);
        document.WriteTo(output.Writer);
        output.Writer.Flush();
        return Finish(output, limits, out json, out error);
    }

    /// <summary>The size in bytes of the compact form of <paramref name="value"/>.</summary>
    /// <remarks>Recursive through the writer: call it only on trees whose depth is bounded.</remarks>
    public static long Measure(JsonNode? value)
    {
        if (value is null)
        {
            return 4;
        }

        var output = Rent(UncheckedDepth);
        value.WriteTo(output.Writer);
        output.Writer.Flush();
        long written = output.Buffer.WrittenCount;
        Release(output);
        return written;
    }

    private static JsonWriterOptions WriterOptions(int maxDepth) => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = maxDepth,
    };

    // The writer depth for values whose depth was already bounded (parsed with the limit, or measured).
    private const int UncheckedDepth = DocumentLimits.MaxConfigurableDepth * 2;

    // A buffer that grew for one unusually large document is not kept for the thread's lifetime.
    private const int RetainedBufferBytes = 64 * 1024;

    // Every write serializes its result, so buffers and writers are reused per thread instead of growing a new buffer
    // through 256, 512, 1024… bytes each time. A writer's depth limit is fixed when it is made, so there is one for the
    // limit of checked writes and one for unchecked ones: a thread that alternates puts with merges or patches reuses
    // both. Nothing here awaits or nests, so one of each per thread is enough.
    [ThreadStatic] private static Output? t_checked;
    [ThreadStatic] private static Output? t_unchecked;

    private static Output Rent(int maxDepth)
    {
        var output = maxDepth == UncheckedDepth ? t_unchecked : t_checked;
        if (output is null || output.MaxDepth != maxDepth)
        {
            output = new Output(maxDepth);
            if (maxDepth == UncheckedDepth)
            {
                t_unchecked = output;
            }
            else
            {
                t_checked = output;
            }
        }

        output.Reset();
        return output;
    }

    private static void Release(Output output)
    {
        if (output.Buffer.Capacity <= RetainedBufferBytes)
        {
            return;
        }

        if (ReferenceEquals(output, t_unchecked))
        {
            t_unchecked = null;
        }
        else if (ReferenceEquals(output, t_checked))
        {
            t_checked = null;
        }
    }

    private static bool Finish(Output output, DocumentLimits limits, [NotNullWhen(true)] out string? json, [NotNullWhen(false)] out ActorsError? error)
    {
        var written = output.Buffer.WrittenSpan;
        error = DocumentLimitsChecker.CheckSize(written.Length, limits);
        json = error is null ? Encoding.UTF8.GetString(written) : null;
        Release(output);
        return error is null;
    }

    private sealed class Output
    {
        public Output(int maxDepth)
        {
            MaxDepth = maxDepth;
            Buffer = new ArrayBufferWriter<byte>(1024);
            Writer = new Utf8JsonWriter(Buffer, WriterOptions(maxDepth));
        }

        public int MaxDepth { get; }

        public ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Writer { get; }

        public void Reset()
        {
            Buffer.ResetWrittenCount();
            Writer.Reset(Buffer);
        }
    }
}
