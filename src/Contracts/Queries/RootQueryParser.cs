using System.Globalization;
using System.Text.Json;

namespace Actors.Contracts;

/// <summary>
/// Reads a query from named parameters — the HTTP query string of <c>GET /v1/roots/{type}</c>, the attributes of the
/// XMPP <c>&lt;query/&gt;</c>, the words of the chat <c>find</c> — so every front end accepts and refuses the same
/// things with the same words (docs/queries.md, Parameters).
/// </summary>
public static class RootQueryParser
{
    /// <summary>Every parameter name a query takes.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } =
        ["index", "eq", "ge", "gt", "le", "lt", "prefix", "order", "limit", "after", "include", "filter"];

    /// <summary>The longest <c>after</c> token accepted (tokens this store makes are far shorter).</summary>
    public const int MaxTokenLength = 4096;

    /// <summary>The most <c>filter</c> parameters one query may have.</summary>
    public const int MaxFilters = 16;

    /// <summary>
    /// The query of <paramref name="type"/> that <paramref name="parameters"/> describe, or why not (an
    /// <see cref="ActorsErrorKind.InvalidQuery"/> or <see cref="ActorsErrorKind.InvalidRootId"/> error naming what to fix).
    /// </summary>
    public static bool TryParse(string type, IEnumerable<KeyValuePair<string, string>> parameters, out RootQuery query, out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        query = new RootQuery(type);
        if (RootId.ValidateType(type) is { } typeRule)
        {
            error = ActorsError.InvalidRootId(typeRule);
            return false;
        }

        string? index = null, eq = null, prefix = null, after = null;
        (string Json, bool Inclusive)? lower = null, upper = null;
        var descending = false;
        var limit = QueryLimits.DefaultLimit;
        var include = false;
        var filters = new List<QueryFilter>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (name != "filter" && !seen.Add(name))
            {
                error = ActorsError.InvalidQuery($"'{name}' is given more than once; give it once");
                return false;
            }
            switch (name)
            {
                case "index":
                    if (IndexNames.Validate(value) is { } rule)
                    {
                        error = ActorsError.InvalidQuery(rule);
                        return false;
                    }
                    index = value;
                    break;
                case "eq":
                    if (!TryLiteral(name, value, out error))
                    {
                        return false;
                    }
                    eq = value;
                    break;
                case "ge" or "gt":
                    if (lower is not null)
                    {
                        error = ActorsError.InvalidQuery("a range takes one lower bound: ge or gt, not both");
                        return false;
                    }
                    if (!TryLiteral(name, value, out error))
                    {
                        return false;
                    }
                    lower = (value, name == "ge");
                    break;
                case "le" or "lt":
                    if (upper is not null)
                    {
                        error = ActorsError.InvalidQuery("a range takes one upper bound: le or lt, not both");
                        return false;
                    }
                    if (!TryLiteral(name, value, out error))
                    {
                        return false;
                    }
                    upper = (value, name == "le");
                    break;
                case "prefix":
                    if (value.Length == 0)
                    {
                        error = ActorsError.InvalidQuery("'prefix' is empty; give the text the values start with, or leave it out");
                        return false;
                    }
                    prefix = value;
                    break;
                case "order":
                    if (value is not ("asc" or "desc"))
                    {
                        error = ActorsError.InvalidQuery($"'order' is '{Shorten(value)}'; it must be asc or desc");
                        return false;
                    }
                    descending = value == "desc";
                    break;
                case "limit":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                        || limit is < QueryLimits.MinLimit or > QueryLimits.MaxLimit)
                    {
                        error = ActorsError.InvalidQuery($"'limit' is '{Shorten(value)}'; it must be a whole number from {QueryLimits.MinLimit} to {QueryLimits.MaxLimit}");
                        return false;
                    }
                    break;
                case "after":
                    if (value.Length is 0 or > MaxTokenLength)
                    {
                        error = ActorsError.InvalidQuery("'after' must be the 'next' token of the previous page, as it was returned");
                        return false;
                    }
                    after = value;
                    break;
                case "include":
                    if (value != "doc")
                    {
                        error = ActorsError.InvalidQuery($"'include' is '{Shorten(value)}'; the only value is doc");
                        return false;
                    }
                    include = true;
                    break;
                case "filter":
                    if (filters.Count == MaxFilters)
                    {
                        error = ActorsError.InvalidQuery($"a query takes at most {MaxFilters} filters");
                        return false;
                    }
                    if (!TryParseFilter(value, out var filter, out error))
                    {
                        return false;
                    }
                    filters.Add(filter);
                    break;
                default:
                    error = ActorsError.InvalidQuery($"unknown parameter '{Shorten(name)}'; a query takes {string.Join(", ", ParameterNames)}");
                    return false;
            }
        }

        var forms = (eq is null ? 0 : 1) + (lower is null && upper is null ? 0 : 1) + (prefix is null ? 0 : 1);
        if (forms > 1)
        {
            error = ActorsError.InvalidQuery("use one of eq, a range (ge/gt and/or le/lt) or prefix, not several");
            return false;
        }
        if (forms == 1 && index is null)
        {
            error = ActorsError.InvalidQuery("eq, ge, gt, le, lt and prefix compare an indexed value: add index=<name> (GET /v1/indexes/{type} lists them)");
            return false;
        }
        if (lower is { } l && upper is { } u && KindOf(l.Json) != KindOf(u.Json))
        {
            error = ActorsError.InvalidQuery($"the range's bounds are of different JSON types ({KindOf(l.Json)} and {KindOf(u.Json)}); values of one type only are compared");
            return false;
        }

        IndexCondition? condition = forms == 0 ? null : new IndexCondition(
            Eq: eq,
            Lower: lower?.Json,
            LowerInclusive: lower?.Inclusive ?? true,
            Upper: upper?.Json,
            UpperInclusive: upper?.Inclusive ?? true,
            Prefix: prefix);
        query = new RootQuery(type, index, condition, descending, limit, after, include, filters.Count == 0 ? null : filters);
        error = null;
        return true;
    }

    /// <summary>
    /// Reads <c>&lt;pointer&gt;,&lt;op&gt;,&lt;json&gt;</c>. The pointer ends at the first <c>,eq,</c> (or another op between
    /// commas), so a JSON literal may hold commas; a pointer holding such a sequence cannot be filtered on.
    /// </summary>
    public static bool TryParseFilter(string text, out QueryFilter filter, out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        filter = null!;
        var best = -1;
        FilterOp op = default;
        foreach (var candidate in Enum.GetValues<FilterOp>())
        {
            var marker = "," + Name(candidate) + ",";
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                op = candidate;
            }
        }
        if (best < 0)
        {
            error = ActorsError.InvalidQuery($"filter '{Shorten(text)}' must be <pointer>,<op>,<json> with op one of eq, ne, lt, le, gt, ge (for example /status,eq,\"open\")");
            return false;
        }
        var pointer = text[..best];
        var json = text[(best + Name(op).Length + 2)..];
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            error = ActorsError.InvalidQuery($"filter pointer '{Shorten(pointer)}' must be empty (the whole document) or start with '/'");
            return false;
        }
        if (!TryLiteral("filter", json, out error, allowNull: true))
        {
            return false;
        }
        filter = new QueryFilter(pointer, op, json);
        return true;
    }

    /// <summary>The wire name of <paramref name="op"/>: eq, ne, lt, le, gt, ge.</summary>
    public static string Name(FilterOp op) => op switch
    {
        FilterOp.Eq => "eq",
        FilterOp.Ne => "ne",
        FilterOp.Lt => "lt",
        FilterOp.Le => "le",
        FilterOp.Gt => "gt",
        FilterOp.Ge => "ge",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a filter op."),
    };

    private static bool TryLiteral(string name, string json, out ActorsError? error, bool allowNull = false)
    {
        var kind = KindOf(json);
        if (kind is null)
        {
            error = ActorsError.InvalidQuery($"'{name}' value '{Shorten(json)}' is not a JSON literal: write a string in double quotes (\"open\"), a number (3) or true/false");
            return false;
        }
        if (kind == "null" && !allowNull || kind is "object" or "array")
        {
            error = ActorsError.InvalidQuery($"'{name}' value '{Shorten(json)}' is a JSON {kind}; indexed values are strings, numbers and booleans");
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>The JSON type of a literal (string, number, boolean, null, object, array), or null when it is not JSON.</summary>
    private static string? KindOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Null => "null",
                JsonValueKind.Object => "object",
                _ => "array",
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";
}
