using Actors.Contracts;

namespace Actors.Silo.Queries;

/// <summary>Turns an <see cref="IndexCondition"/> into the range of index entries it selects (docs/queries.md).</summary>
internal static class IndexConditionPlanner
{
    /// <summary>The entries matching <paramref name="condition"/>, or why the condition is invalid.</summary>
    public static bool TryPlan(IndexCondition? condition, out LexRange range, out string? error)
    {
        range = LexRange.All;
        error = null;
        if (condition is null)
        {
            return true;
        }

        var hasRange = condition.Lower is not null || condition.Upper is not null;
        if (condition.Eq is not null)
        {
            if (hasRange || condition.Prefix is not null)
            {
                error = "'eq' cannot be combined with a range ('ge', 'gt', 'le', 'lt') or 'prefix'; use one form";
                return false;
            }
            if (!IndexValue.TryEncodeLiteral(condition.Eq, out var value, out error))
            {
                error = "eq: " + error;
                return false;
            }
            // Entries are value 0x00 id: exactly this value, any id.
            range = new LexRange([.. value, 0x00], false, [.. value, 0x01], true);
            return true;
        }

        if (condition.Prefix is not null)
        {
            if (hasRange)
            {
                error = "'prefix' cannot be combined with a range ('ge', 'gt', 'le', 'lt'); use one form";
                return false;
            }
            var start = IndexValue.EncodeStringBody(condition.Prefix, IndexValue.String);
            // Every string starting with the prefix (its escaped bytes are a byte prefix of theirs), and nothing else.
            range = new LexRange(start, false, IndexValue.Successor(start), true);
            return true;
        }

        if (!hasRange)
        {
            return true;
        }

        byte[]? lower = null, upper = null;
        if (condition.Lower is not null && !IndexValue.TryEncodeLiteral(condition.Lower, out lower, out error))
        {
            error = (condition.LowerInclusive ? "ge: " : "gt: ") + error;
            return false;
        }
        if (condition.Upper is not null && !IndexValue.TryEncodeLiteral(condition.Upper, out upper, out error))
        {
            error = (condition.UpperInclusive ? "le: " : "lt: ") + error;
            return false;
        }
        if (lower is not null && upper is not null && IndexValue.TypeTag(lower) != IndexValue.TypeTag(upper))
        {
            error = $"the lower bound {condition.Lower} and the upper bound {condition.Upper} are of different JSON types; values of different types are never ordered";
            return false;
        }

        // A bound limits the range to its literal's JSON type: ge 3 never returns strings.
        var typeTag = IndexValue.TypeTag(lower ?? upper!);
        byte[] min = lower is null ? [typeTag] : condition.LowerInclusive ? [.. lower, 0x00] : [.. lower, 0x01];
        byte[] max = upper is null ? [IndexValue.NextTypeTag(typeTag)] : condition.UpperInclusive ? [.. upper, 0x01] : [.. upper, 0x00];
        range = new LexRange(min, false, max, true);
        return true;
    }
}
