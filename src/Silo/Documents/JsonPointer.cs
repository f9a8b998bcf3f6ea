using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// A parsed RFC 6901 JSON Pointer: a list of reference tokens, each naming an object member or an array index.
/// </summary>
/// <remarks>
/// The rules of RFC 6901 §3–§4, restated: the empty string addresses the whole document; any other pointer must start
/// with '/'; inside a token '~' must be followed by '0' (meaning '~') or '1' (meaning '/'). Breaking one of those makes
/// the pointer <em>invalid</em>. A well-formed pointer that addresses nothing (a missing member, an index out of range,
/// the '-' past-the-end token, an index with leading zeros, a step through a scalar) is <em>not found</em> (docs/data-model.md).
/// </remarks>
internal sealed class JsonPointer
{
    /// <summary>The pointer that addresses the whole document.</summary>
    public static readonly JsonPointer Root = new(string.Empty, []);

    private readonly string[] _tokens;

    private JsonPointer(string text, string[] tokens)
    {
        Text = text;
        _tokens = tokens;
    }

    /// <summary>The pointer as written.</summary>
    public string Text { get; }

    /// <summary>The unescaped reference tokens, outermost first.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>True for the empty pointer, which addresses the whole document.</summary>
    public bool IsRoot => _tokens.Length == 0;

    /// <summary>The last token (the member name or index within the parent); only for a non-root pointer.</summary>
    public string LastToken => _tokens[^1];

    /// <summary>Parses <paramref name="text"/>, or returns an <see cref="ActorsErrorKind.InvalidPointer"/> error.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPointer? pointer, [NotNullWhen(false)] out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        pointer = null;
        error = null;
        if (text.Length == 0)
        {
            pointer = Root;
            return true;
        }

        if (text[0] != '/')
        {
            error = ActorsError.InvalidPointer(text, "a non-empty pointer must start with '/'");
            return false;
        }

        var tokens = new List<string>();
        var start = 1;
        while (true)
        {
            var end = text.IndexOf('/', start);
            var raw = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
            if (!TryUnescape(raw, out var token))
            {
                error = ActorsError.InvalidPointer(text, "'~' must be followed by '0' (for '~') or '1' (for '/')");
                return false;
            }

            tokens.Add(token);
            if (end < 0)
            {
                break;
            }

            start = end + 1;
        }

        pointer = new JsonPointer(text, [.. tokens]);
        return true;
    }

    /// <summary>
    /// Reads an RFC 6901 array index: "0" or digits without a leading zero. Anything else ("-", "01", "1e0", "+1")
    /// is not an index.
    /// </summary>
    public static bool TryParseArrayIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || token.Length > 10 || (token[0] == '0' && token.Length > 1))
        {
            return false;
        }

        long value = 0;
        foreach (var c in token)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value > int.MaxValue)
        {
            return false;
        }

        index = (int)value;
        return true;
    }

    /// <summary>True when this pointer is a proper prefix of <paramref name="other"/> (it addresses an ancestor).</summary>
    public bool IsProperPrefixOf(JsonPointer other)
    {
        if (_tokens.Length >= other._tokens.Length)
        {
            return false;
        }

        for (var i = 0; i < _tokens.Length; i++)
        {
            if (!string.Equals(_tokens[i], other._tokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Evaluates the pointer against a parsed document; false when it addresses nothing.</summary>
    public bool TryEvaluate(JsonElement document, out JsonElement value)
    {
        value = document;
        foreach (var token in _tokens)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    if (!value.TryGetProperty(token, out value))
                    {
                        return false;
                    }

                    break;
                case JsonValueKind.Array:
                    if (!TryParseArrayIndex(token, out var index) || index >= value.GetArrayLength())
                    {
                        return false;
                    }

                    value = value[index];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Evaluates the pointer against a node tree (a null node is JSON null); false when it addresses nothing.
    /// </summary>
    public bool TryEvaluate(JsonNode? document, out JsonNode? value) => TryEvaluate(document, _tokens.Length, out value);

    /// <summary>Evaluates the pointer without its last token, yielding the container the last token names a slot in.</summary>
    public bool TryEvaluateParent(JsonNode? document, out JsonNode? parent) =>
        TryEvaluate(document, _tokens.Length - 1, out parent);

    /// <inheritdoc/>
    public override string ToString() => Text;

    private bool TryEvaluate(JsonNode? document, int count, out JsonNode? value)
    {
        value = document;
        for (var i = 0; i < count; i++)
        {
            var token = _tokens[i];
            switch (value)
            {
                case JsonObject obj:
                    if (!obj.TryGetPropertyValue(token, out value))
                    {
                        return false;
                    }

                    break;
                case JsonArray array:
                    if (!TryParseArrayIndex(token, out var index) || index >= array.Count)
                    {
                        value = null;
                        return false;
                    }

                    value = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    private static bool TryUnescape(ReadOnlySpan<char> raw, out string token)
    {
        var tilde = raw.IndexOf('~');
        if (tilde < 0)
        {
            token = raw.ToString();
            return true;
        }

        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '~')
            {
                builder.Append(c);
                continue;
            }

            if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1'))
            {
                token = string.Empty;
                return false;
            }

            // RFC 6901 §4: '~1' becomes '/' and '~0' becomes '~', decoded in one left-to-right pass so that "~01"
            // is "~1" and not "/".
            builder.Append(raw[i + 1] == '0' ? '~' : '/');
            i++;
        }

        token = builder.ToString();
        return true;
    }
}
