using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Actors.Contracts;

namespace Actors.Silo.Queries;

/// <summary>
/// The opaque, stateless keyset token of a query page (docs/queries.md, Paging): base64url of
/// <c>version · H(query) · last entry · MAC</c>, where H binds the query it belongs to (type, index, condition, order,
/// filters — not the limit, so a client may change the page size) and MAC is HMAC-SHA256 truncated to 128 bits under the
/// cluster's token key. A tampered token, or one from another query, fails the MAC or the binding check.
/// </summary>
internal static class QueryToken
{
    private const byte Version = 1;
    private const int BindingLength = 16;
    private const int MacLength = 16;

    /// <summary>The token continuing <paramref name="query"/> after <paramref name="lastEntry"/>.</summary>
    public static string Create(ReadOnlySpan<byte> key, RootQuery query, ReadOnlySpan<byte> lastEntry)
    {
        var payload = new byte[1 + BindingLength + lastEntry.Length + MacLength];
        payload[0] = Version;
        Binding(query).CopyTo(payload.AsSpan(1));
        lastEntry.CopyTo(payload.AsSpan(1 + BindingLength));
        var body = payload.AsSpan(0, payload.Length - MacLength);
        HMACSHA256.HashData(key, body).AsSpan(0, MacLength).CopyTo(payload.AsSpan(body.Length));
        return Base64Url.EncodeToString(payload);
    }

    /// <summary>The last entry a token of <paramref name="query"/> holds; false when it is malformed, altered or from another query.</summary>
    public static bool TryRead(ReadOnlySpan<byte> key, RootQuery query, string token, out byte[] lastEntry)
    {
        lastEntry = [];
        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        if (payload.Length < 1 + BindingLength + 1 + MacLength || payload[0] != Version)
        {
            return false;
        }

        var body = payload.AsSpan(0, payload.Length - MacLength);
        var mac = HMACSHA256.HashData(key, body).AsSpan(0, MacLength);
        if (!CryptographicOperations.FixedTimeEquals(mac, payload.AsSpan(body.Length)))
        {
            return false;
        }

        if (!Binding(query).AsSpan().SequenceEqual(payload.AsSpan(1, BindingLength)))
        {
            return false;
        }

        lastEntry = payload[(1 + BindingLength)..body.Length];
        return true;
    }

    /// <summary>What a token is bound to: everything that decides which entries the query reads and in which order.</summary>
    private static byte[] Binding(RootQuery query)
    {
        var text = new StringBuilder();
        Append(text, query.Type);
        Append(text, query.Index);
        var c = query.Condition;
        Append(text, c?.Eq);
        Append(text, c?.Lower);
        Append(text, c?.Lower is null ? null : c.LowerInclusive ? "ge" : "gt");
        Append(text, c?.Upper);
        Append(text, c?.Upper is null ? null : c.UpperInclusive ? "le" : "lt");
        Append(text, c?.Prefix);
        Append(text, query.Descending ? "desc" : "asc");
        foreach (var filter in query.Filters ?? [])
        {
            Append(text, filter.Pointer);
            Append(text, filter.Op.ToString());
            Append(text, filter.Json);
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..BindingLength];
    }

    // Length-prefixed, so no two different queries have the same text.
    private static void Append(StringBuilder text, string? part) =>
        text.Append(part is null ? "-1" : part.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(part).Append(';');
}
