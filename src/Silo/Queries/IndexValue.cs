using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Actors.Silo.Queries;

/// <summary>
/// The order-preserving byte encoding of indexed values (docs/queries.md, Index entries): comparing two encodings byte by
/// byte (what Redis' <c>ZRANGEBYLEX</c> does) orders them as DESIGN §8 orders the values: booleans before numbers
/// before strings, <c>false</c> before <c>true</c>, numbers numerically, strings by ordinal UTF-8 bytes.
/// </summary>
/// <remarks>
/// <para>An index entry is <c>encode(value) 0x00 id</c>. Strings escape 0x00 as 0x01 0x01 and 0x01 as 0x01 0x02, so no
/// encoded value contains 0x00 (the separator sorts below every continuation) and byte order is kept; numbers are 8
/// bytes of fixed length, so their separator position is known.</para>
/// <para>Numbers are IEEE doubles: integers beyond 2^53 lose precision, as in JavaScript; -0 is 0.</para>
/// </remarks>
internal static class IndexValue
{
    public const byte False = 0x02;
    public const byte True = 0x03;
    public const byte Number = 0x04;
    public const byte String = 0x05;

    /// <summary>The byte between a value and the root id in an index entry.</summary>
    public const byte Separator = 0x00;

    /// <summary>The encoding of an indexable JSON value (string, finite number, boolean); null for any other value.</summary>
    public static byte[]? Encode(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.False => [False],
        JsonValueKind.True => [True],
        JsonValueKind.Number => value.TryGetDouble(out var number) && double.IsFinite(number) ? EncodeNumber(number) : null,
        JsonValueKind.String => EncodeString(value.GetString()!),
        _ => null,
    };

    /// <summary>Parses a JSON literal and encodes it, or says why it cannot be an indexed value.</summary>
    public static bool TryEncodeLiteral(string json, out byte[] encoded, out string? error)
    {
        encoded = [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (Encode(document.RootElement) is { } bytes)
            {
                encoded = bytes;
                error = null;
                return true;
            }
            error = $"'{json}' is not a string, number or boolean JSON literal (strings need their quotes, e.g. \"open\")";
            return false;
        }
        catch (JsonException)
        {
            error = $"'{json}' is not valid JSON (strings need their quotes, e.g. \"open\")";
            return false;
        }
    }

    public static byte[] EncodeNumber(double number)
    {
        if (number == 0)
        {
            number = 0; // -0 and 0 are one value
        }
        var bits = BitConverter.DoubleToInt64Bits(number);
        // Positives: set the sign bit so they sort above every negative; negatives: flip every bit so larger
        // magnitudes sort lower.
        var ordered = bits >= 0 ? (ulong)bits | 0x8000_0000_0000_0000UL : ~(ulong)bits;
        var result = new byte[9];
        result[0] = Number;
        BinaryPrimitives.WriteUInt64BigEndian(result.AsSpan(1), ordered);
        return result;
    }

    public static byte[] EncodeString(string text) => EncodeStringBody(text, String);

    /// <summary>The tag and escaped UTF-8 bytes of <paramref name="text"/>, without a terminator (a prefix of every encoding of a string starting with it).</summary>
    public static byte[] EncodeStringBody(string text, byte tag)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var result = new List<byte>(utf8.Length + 1) { tag };
        foreach (var b in utf8)
        {
            if (b <= 0x01)
            {
                result.Add(0x01);
                result.Add((byte)(b + 1));
            }
            else
            {
                result.Add(b);
            }
        }
        return [.. result];
    }

    /// <summary>An index entry: the encoded value, the separator, the root id (ASCII by the id rule).</summary>
    public static byte[] Entry(byte[] value, string id)
    {
        var result = new byte[value.Length + 1 + id.Length];
        value.CopyTo(result, 0);
        result[value.Length] = Separator;
        Encoding.ASCII.GetBytes(id, result.AsSpan(value.Length + 1));
        return result;
    }

    /// <summary>The root id of an index entry: what follows the first separator after the value.</summary>
    public static string IdOf(ReadOnlySpan<byte> entry)
    {
        var start = entry[0] == Number ? 9 : entry.IndexOf(Separator);
        return Encoding.ASCII.GetString(entry[(start + 1)..]);
    }

    /// <summary>The tag byte of the encoding of a value: <see cref="False"/> and <see cref="True"/> are both booleans.</summary>
    public static byte TypeTag(byte[] value) => value[0] == True ? False : value[0];

    /// <summary>The first tag after the type of <paramref name="typeTag"/> (the exclusive end of that type's entries).</summary>
    public static byte NextTypeTag(byte typeTag) => typeTag == False ? Number : (byte)(typeTag + 1);

    /// <summary>The smallest byte string greater than every string starting with <paramref name="prefix"/>; null when there is none.</summary>
    public static byte[]? Successor(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                var result = prefix[..(i + 1)];
                result[i]++;
                return result;
            }
        }
        return null;
    }

    /// <summary>Unsigned byte-wise comparison, Redis' lexicographic order.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
