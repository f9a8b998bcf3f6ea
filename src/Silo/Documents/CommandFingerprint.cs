using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// A 128-bit fingerprint of a write command (op, ifVersion and body, not the write id), so the root grain can tell a
/// retry of a write (same id, same command: a duplicate) from a reuse of its id for another command (DESIGN §3).
/// </summary>
/// <remarks>
/// <para>
/// DESIGN §3 compares "the JSON body compared after parsing", so the body is hashed in a canonical form of its parsed
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
/// </remarks>
internal static class CommandFingerprint
{
    // Bump when the canonical layout changes, so old and new fingerprints never collide by accident.
    private const byte LayoutVersion = 1;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = JsonInput.StoredMaxDepth,
        AllowDuplicateProperties = false,
    };

    /// <summary>The fingerprint of <paramref name="command"/>'s op, ifVersion and parsed body.</summary>
    public static UInt128 Compute(WriteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var hash = new XxHash128();
        Span<byte> header = stackalloc byte[11];
        header[0] = LayoutVersion;
        header[1] = (byte)command.Op;
        header[2] = command.IfVersion is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt64LittleEndian(header[3..], command.IfVersion ?? 0);
        hash.Append(header);

        if (command.Json is null)
        {
            hash.Append("N"u8);
        }
        else if (!TryAppendCanonical(hash, command.Json))
        {
            hash.Append("R"u8);
            AppendString(hash, command.Json);
        }

        return hash.GetCurrentHashAsUInt128();
    }

    private static bool TryAppendCanonical(XxHash128 hash, string json)
    {
        // Hash into a scratch instance so that a failure halfway leaves the caller's state clean for the raw fallback.
        var body = new XxHash128();
        try
        {
            using var document = JsonDocument.Parse(json, ParseOptions);
            body.Append("J"u8);
            AppendValue(body, document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, too deep, duplicate members, or a string that is not valid UTF-16 (a lone surrogate escape).
            return false;
        }

        Span<byte> digest = stackalloc byte[16];
        body.GetCurrentHash(digest);
        hash.Append(digest);
        return true;
    }

    private static void AppendValue(XxHash128 hash, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                hash.Append("n"u8);
                break;
            case JsonValueKind.True:
                hash.Append("t"u8);
                break;
            case JsonValueKind.False:
                hash.Append("f"u8);
                break;
            case JsonValueKind.Number:
                hash.Append("d"u8);
                AppendString(hash, value.GetRawText());
                break;
            case JsonValueKind.String:
                hash.Append("s"u8);
                AppendString(hash, value.GetString()!);
                break;
            case JsonValueKind.Array:
                hash.Append("["u8);
                AppendLength(hash, value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    AppendValue(hash, item);
                }

                break;
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                foreach (var member in value.EnumerateObject())
                {
                    members.Add(member);
                }

                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                hash.Append("{"u8);
                AppendLength(hash, members.Count);
                foreach (var member in members)
                {
                    AppendString(hash, member.Name);
                    AppendValue(hash, member.Value);
                }

                break;
            default:
                throw new InvalidOperationException($"Unexpected JSON value kind {value.ValueKind}.");
        }
    }

    private static void AppendString(XxHash128 hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendLength(hash, bytes.Length);
        hash.Append(bytes);
    }

    private static void AppendLength(XxHash128 hash, int length)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, length);
        hash.Append(buffer);
    }
}
