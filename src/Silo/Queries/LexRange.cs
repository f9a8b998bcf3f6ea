namespace Actors.Silo.Queries;

/// <summary>
/// A range of sorted-set members in Redis' lexicographic order (<c>ZRANGEBYLEX</c>): null bounds are open (<c>-</c>, <c>+</c>).
/// </summary>
internal sealed record LexRange(byte[]? Min, bool MinExclusive, byte[]? Max, bool MaxExclusive)
{
    public static readonly LexRange All = new(null, false, null, false);

    /// <summary>Whether <paramref name="member"/> lies within the range.</summary>
    public bool Contains(ReadOnlySpan<byte> member)
    {
        if (Min is not null)
        {
            var c = IndexValue.Compare(member, Min);
            if (c < 0 || (c == 0 && MinExclusive))
            {
                return false;
            }
        }
        if (Max is not null)
        {
            var c = IndexValue.Compare(member, Max);
            if (c > 0 || (c == 0 && MaxExclusive))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The part of the range after <paramref name="member"/> in the reading direction (keyset paging).</summary>
    public LexRange After(byte[] member, bool descending) =>
        descending ? this with { Max = member, MaxExclusive = true } : this with { Min = member, MinExclusive = true };
}
