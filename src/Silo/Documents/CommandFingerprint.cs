using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// A 128-bit fingerprint of a write command (op, ifVersion and body, not the write id), so the root grain can tell a
/// retry of a write (same id, same command: a duplicate) from a reuse of its id for another command (docs/data-model.md).
/// </summary>
/// <remarks>
/// <para>
/// docs/data-model.md compares "the JSON body compared after parsing", so the body is hashed in a canonical form of its parsed
/// value, not as text: whitespace and escapes do not matter ("\u0061" is "a"). Member order does not matter either:
/// RFC 8259 makes an object an unordered set of members, a client retrying through another JSON library may reorder
/// them, and the two bodies mean the same write. Array order matters (it is part of the value, and of a patch's
/// meaning). Numbers are hashed by their text ("1" and "1.0" differ) because the store keeps numbers as sent, so the
/// two bodies would store different documents.
/// </para>
/// <para>
/// The canonical form is our own byte layout (type tags, lengths, UTF-8), not the output of a JSON writer, because
/// fingerprints are persisted: a change of escaping in a future System.Text.Json must not turn every retry after an
/// upgrade into "write id reused". XxHash128 with seed 0 is stable across processes and versions. A body that does
/// not parse is hashed as its raw text (such writes fail anyway, and a retry sends the same text).
/// </para>
/// <para>
/// Every write computes one, so the canonical form is built without allocating per value: it is written into a
/// per-thread buffer straight from the parsed document's UTF-8 (a string or member name without escapes is already
/// its own UTF-8 form) and hashed in one call. Only escaped strings and names are decoded, and only objects with
/// member names whose UTF-8 order may differ from their UTF-16 order are sorted as strings; the golden values in the
/// unit tests pin the layout across such changes.
/// </para>
/// </remarks>
internal static class CommandFingerprint
{
    // Bump when the canonical layout changes, so old and new fingerprints never collide by accident.
    private const byte LayoutVersion = 1;

    // A buffer that grew for an unusually large body is dropped rather than kept by the thread forever.
    private const int RetainedBufferBytes = 64 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = JsonInput.StoredMaxDepth,
        AllowDuplicateProperties = false,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_canonical;

    /// <summary>The fingerprint of <paramref name="command"/>'s op, ifVersion and parsed body.</summary>
    public static UInt128 Compute(WriteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        const int HeaderBytes = 11;
        Span<byte> prefix = stackalloc byte[HeaderBytes + 16];
        prefix[0] = LayoutVersion;
        prefix[1] = (byte)command.Op;
        prefix[2] = command.IfVersion is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt64LittleEndian(prefix[3..HeaderBytes], command.IfVersion ?? 0);

        if (command.Json is null)
        {
            prefix[HeaderBytes] = (byte)'N';
            return XxHash128.HashToUInt128(prefix[..(HeaderBytes + 1)]);
        }

        // The body's canonical form is hashed on its own and its digest follows the header (a streaming hash over the
        // concatenation is the same as this one-shot hash).
        if (TryHashCanonical(command.Json, prefix[HeaderBytes..]))
        {
            return XxHash128.HashToUInt128(prefix);
        }

        var hash = new XxHash128();
        hash.Append(prefix[..HeaderBytes]);
        hash.Append("R"u8);
        var raw = Encoding.UTF8.GetBytes(command.Json);
        AppendLength(hash, raw.Length);
        hash.Append(raw);
        return hash.GetCurrentHashAsUInt128();
    }

    private static bool TryHashCanonical(string json, Span<byte> digest)
    {
        var buffer = t_canonical ?? new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        try
        {
            using var document = JsonDocument.Parse(json, ParseOptions);
            Write(buffer, (byte)'J');
            WriteValue(buffer, document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, too deep, duplicate members, or a string that is not valid UTF-16 (a lone surrogate escape).
            return false;
        }

        XxHash128.Hash(buffer.WrittenSpan, digest);
        t_canonical = buffer.Capacity <= RetainedBufferBytes ? buffer : null;
        return true;
    }

    private static void WriteValue(ArrayBufferWriter<byte> buffer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                Write(buffer, (byte)'n');
                break;
            case JsonValueKind.True:
                Write(buffer, (byte)'t');
                break;
            case JsonValueKind.False:
                Write(buffer, (byte)'f');
                break;
            case JsonValueKind.Number:
                Write(buffer, (byte)'d');
                WriteText(buffer, JsonMarshal.GetRawUtf8Value(value));
                break;
            case JsonValueKind.String:
                Write(buffer, (byte)'s');
                var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
                if (IsUnescaped(raw))
                {
                    WriteText(buffer, raw);
                }
                else
                {
                    WriteText(buffer, Encoding.UTF8.GetBytes(value.GetString()!));
                }
                break;
            case JsonValueKind.Array:
                Write(buffer, (byte)'[');
                WriteLength(buffer, value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(buffer, item);
                }

                break;
            case JsonValueKind.Object:
                WriteObject(buffer, value);
                break;
            default:
                throw new InvalidOperationException($"Unexpected JSON value kind {value.ValueKind}.");
        }
    }

    private static void WriteObject(ArrayBufferWriter<byte> buffer, JsonElement value)
    {
        var count = value.GetPropertyCount();
        var members = ArrayPool<JsonProperty>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var byBytes = true;
            var index = 0;
            foreach (var member in value.EnumerateObject())
            {
                members[index++] = member;
                byBytes &= IsPlainUtf8Ordered(JsonMarshal.GetRawUtf8PropertyName(member));
            }

            // Members are ordered by their names as UTF-16 strings. For names without escapes and without characters
            // from U+E000 up (UTF-8 lead byte 0xEE or more), UTF-8 byte order is the same order, and needs no strings.
            members.AsSpan(0, count).Sort(byBytes ? ByRawName : ByName);
            Write(buffer, (byte)'{');
            WriteLength(buffer, count);
            foreach (var member in members.AsSpan(0, count))
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(member);
                WriteText(buffer, IsUnescaped(name) ? name : Encoding.UTF8.GetBytes(member.Name));
                WriteValue(buffer, member.Value);
            }
        }
        finally
        {
            members.AsSpan(0, count).Clear();
            ArrayPool<JsonProperty>.Shared.Return(members);
        }
    }

    private static readonly Comparison<JsonProperty> ByRawName = static (a, b) =>
        JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b));

    private static readonly Comparison<JsonProperty> ByName = static (a, b) => string.CompareOrdinal(a.Name, b.Name);

    private static bool IsPlainUtf8Ordered(ReadOnlySpan<byte> raw) =>
        IsUnescaped(raw) && raw.IndexOfAnyInRange((byte)0xEE, (byte)0xFF) < 0;

    // A raw string or name without escapes is already its own UTF-8 text; an escaped one is decoded by the parser.
    private static bool IsUnescaped(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'\\') < 0;

    private static void WriteText(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> utf8)
    {
        WriteLength(buffer, utf8.Length);
        buffer.Write(utf8);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, byte tag)
    {
        buffer.GetSpan(1)[0] = tag;
        buffer.Advance(1);
    }

    private static void WriteLength(ArrayBufferWriter<byte> buffer, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
    }

    private static void AppendLength(XxHash128 hash, int length)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        hash.Append(bytes);
    }
}
