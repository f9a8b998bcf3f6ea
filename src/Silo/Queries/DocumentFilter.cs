using System.Text;
using System.Text.Json;
using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Queries;

/// <summary>
/// A parsed <see cref="QueryFilter"/>: the value at a pointer compared with a JSON literal (DESIGN §8). Values of
/// different JSON types are never equal and never ordered; <c>ne</c> matches an absent value; numbers compare
/// numerically, strings by ordinal UTF-8 bytes, <c>false</c> before <c>true</c>; null is only equal to null.
/// </summary>
internal sealed class DocumentFilter
{
    private readonly JsonPointer _pointer;
    private readonly FilterOp _op;
    private readonly JsonElement _literal;

    private DocumentFilter(JsonPointer pointer, FilterOp op, JsonElement literal)
    {
        _pointer = pointer;
        _op = op;
        _literal = literal;
    }

    /// <summary>Parses a filter, or says what to fix.</summary>
    public static bool TryCreate(QueryFilter filter, out DocumentFilter? parsed, out string? error)
    {
        parsed = null;
        if (filter is null)
        {
            error = "a filter is null";
            return false;
        }
        if (!Enum.IsDefined(filter.Op))
        {
            error = $"filter on '{filter.Pointer}': unknown operator {(int)filter.Op}; use eq, ne, lt, le, gt or ge";
            return false;
        }
        if (filter.Pointer is null || !JsonPointer.TryParse(filter.Pointer, out var pointer, out var pointerError))
        {
            error = $"filter pointer '{filter.Pointer}' is not a JSON Pointer (RFC 6901, e.g. /status)";
            return false;
        }
        _ = pointerError;
        JsonElement literal;
        try
        {
            using var document = JsonDocument.Parse(filter.Json ?? "");
            literal = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = $"filter on '{filter.Pointer}': '{filter.Json}' is not valid JSON (strings need their quotes, e.g. \"open\")";
            return false;
        }
        if (literal.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            error = $"filter on '{filter.Pointer}': compare with a string, number, boolean or null literal, not '{filter.Json}'";
            return false;
        }
        parsed = new DocumentFilter(pointer, filter.Op, literal);
        error = null;
        return true;
    }

    public bool Matches(JsonElement document)
    {
        if (!_pointer.TryEvaluate(document, out var value))
        {
            return _op == FilterOp.Ne;
        }
        var order = CompareTyped(value, _literal);
        return _op switch
        {
            FilterOp.Eq => order == 0,
            FilterOp.Ne => order != 0,
            FilterOp.Lt => order is < 0 && Orderable(value),
            FilterOp.Le => order is <= 0 && Orderable(value),
            FilterOp.Gt => order is > 0 && Orderable(value),
            FilterOp.Ge => order is >= 0 && Orderable(value),
            _ => false,
        };
    }

    private static bool Orderable(JsonElement value) => value.ValueKind is not JsonValueKind.Null;

    /// <summary>The order of two values of one JSON type; null when their types differ (or they cannot be compared).</summary>
    private static int? CompareTyped(JsonElement a, JsonElement b)
    {
        static int Kind(JsonValueKind k) => k switch
        {
            JsonValueKind.True or JsonValueKind.False => 1,
            JsonValueKind.Number => 2,
            JsonValueKind.String => 3,
            JsonValueKind.Null => 4,
            _ => 0,
        };

        var kind = Kind(a.ValueKind);
        if (kind == 0 || kind != Kind(b.ValueKind))
        {
            return null;
        }
        return kind switch
        {
            1 => a.GetBoolean().CompareTo(b.GetBoolean()),
            2 => a.TryGetDouble(out var x) && b.TryGetDouble(out var y) ? x.CompareTo(y) : null,
            3 => Encoding.UTF8.GetBytes(a.GetString()!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.GetString()!)),
            _ => 0,
        };
    }
}
