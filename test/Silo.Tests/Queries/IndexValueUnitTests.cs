using System.Text;
using System.Text.Json;
using Actors.Contracts;
using Actors.Silo.Queries;

namespace Actors.Silo.Tests.Queries;

public sealed class IndexValueUnitTests
{
    private static byte[] Encode(string json)
    {
        IndexValue.TryEncodeLiteral(json, out var encoded, out var error).Should().BeTrue(error);
        return encoded;
    }

    private static int Compare(byte[] a, byte[] b) => Math.Sign(IndexValue.Compare(a, b));

    [Fact]
    public void Encode_ValuesInDesignOrder_SortByteWiseInThatOrder()
    {
        // DESIGN §8: booleans < numbers < strings; numbers numerically; strings by ordinal UTF-8 bytes.
        string[] ordered =
        [
            "false", "true",
            "-1e308", "-1000", "-2.5", "-1", "-0.001", "0", "1e-300", "0.5", "1", "2", "2.5", "10", "1000", "9007199254740993", "1e308",
            "\"\"", "\"\\u0000\"", "\"\\u0000a\"", "\"\\u0001\"", "\"A\"", "\"a\"", "\"a\\u0000\"", "\"a\\u0001\"", "\"ab\"", "\"b\"",
            "\"z\"", "\"\u00e9\"", "\"\uffff\"", "\"\ud83d\ude00\"",
        ];
        var encoded = ordered.Select(Encode).ToList();
        for (var i = 0; i + 1 < encoded.Count; i++)
        {
            Compare(encoded[i], encoded[i + 1]).Should().Be(-1, "{0} sorts before {1}", ordered[i], ordered[i + 1]);
        }
    }

    [Fact]
    public void Encode_StringsAgainstUtf8ByteOrder_SameOrderAsOrdinalUtf8()
    {
        // UTF-16 ordinal puts U+FFFF after a surrogate pair; UTF-8 byte order (DESIGN) puts it before.
        string[] texts = ["\uffff", "\ud83d\ude00", "a\u0000b", "a", "a\u0001", "", "\u00e9", "e", "\u0000", "~", "\u007f"];
        var byUtf8 = texts.OrderBy(t => Encoding.UTF8.GetBytes(t), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
        var byEncoding = texts.OrderBy(t => IndexValue.EncodeString(t), Comparer<byte[]>.Create((a, b) => IndexValue.Compare(a, b))).ToList();
        byEncoding.Should().Equal(byUtf8);
    }

    [Fact]
    public void Encode_NegativeZeroAndEquivalentNumbers_OneValue()
    {
        Encode("-0").Should().Equal(Encode("0"));
        Encode("1.0").Should().Equal(Encode("1"));
        Encode("1e2").Should().Equal(Encode("100"));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("open")]
    [InlineData("1e400")]
    [InlineData("")]
    public void TryEncodeLiteral_NotAnIndexableLiteral_Refused(string json) =>
        IndexValue.TryEncodeLiteral(json, out _, out var error).Should().BeFalse(error);

    [Fact]
    public void Entry_StringWithEmbeddedNul_HasNoNulBeforeSeparatorAndIdRoundTrips()
    {
        var entry = IndexValue.Entry(IndexValue.EncodeString("a\u0000b\u0001"), "id-1");
        entry.AsSpan().IndexOf((byte)0).Should().Be(entry.Length - "id-1".Length - 1);
        IndexValue.IdOf(entry).Should().Be("id-1");
        IndexValue.IdOf(IndexValue.Entry(Encode("256"), "x")).Should().Be("x", "a number's 8 bytes may hold 0x00");
        IndexValue.IdOf(IndexValue.Entry(Encode("true"), "y")).Should().Be("y");
    }

    [Fact]
    public void Entries_SameValue_OrderedByIdAndBeforeLongerValues()
    {
        var a1 = IndexValue.Entry(IndexValue.EncodeString("a"), "1");
        var a2 = IndexValue.Entry(IndexValue.EncodeString("a"), "2");
        var ab = IndexValue.Entry(IndexValue.EncodeString("a\u0000"), "0");
        Compare(a1, a2).Should().Be(-1);
        Compare(a2, ab).Should().Be(-1, "value first, then id");
    }

    public static TheoryData<string, string, string[], string[]> Conditions => new()
    {
        // condition (json), values matching, values not matching
        { "eq", "\"open\"", ["\"open\""], ["\"ope\"", "\"open \"", "\"open\\u0000\"", "true", "1"] },
        { "eq", "3", ["3", "3.0"], ["2.9999", "3.0001", "\"3\""] },
        { "eq", "true", ["true"], ["false", "1", "\"true\""] },
        { "ge", "3", ["3", "4", "1e300"], ["2", "-4", "\"4\"", "true"] },
        { "gt", "3", ["3.000001", "4"], ["3", "2", "\"4\""] },
        { "le", "3", ["3", "-1e300", "0"], ["3.5", "\"1\"", "false"] },
        { "lt", "3", ["2.9", "-4"], ["3", "4", "false"] },
        { "gt", "\"b\"", ["\"b\\u0000\"", "\"ba\"", "\"c\""], ["\"b\"", "\"a\"", "2"] },
        { "le", "\"b\"", ["\"b\"", "\"a\"", "\"\""], ["\"b\\u0000\"", "\"ba\"", "true"] },
        { "lt", "\"b\"", ["\"a\"", "\"azzz\""], ["\"b\"", "\"ba\""] },
        { "ge", "true", ["true"], ["false", "1"] },
        { "prefix", "op", ["\"op\"", "\"open\"", "\"op\\u0000\""], ["\"o\"", "\"oq\"", "\"Open\"", "1"] },
        { "prefix", "", ["\"\"", "\"x\""], ["1", "true"] },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Plan_Condition_RangeHoldsExactlyTheMatchingEntries(string op, string literal, string[] matching, string[] other)
    {
        var condition = op switch
        {
            "eq" => IndexCondition.Equal(literal),
            "ge" => IndexCondition.Between(literal, null),
            "gt" => IndexCondition.Between(literal, null, lowerInclusive: false),
            "le" => IndexCondition.Between(null, literal),
            "lt" => IndexCondition.Between(null, literal, upperInclusive: false),
            _ => IndexCondition.StartsWith(literal),
        };
        IndexConditionPlanner.TryPlan(condition, out var range, out var error).Should().BeTrue(error);
        foreach (var value in matching)
        {
            range.Contains(IndexValue.Entry(Encode(value), "id")).Should().BeTrue("{0} {1} holds for {2}", op, literal, value);
        }
        foreach (var value in other)
        {
            range.Contains(IndexValue.Entry(Encode(value), "id")).Should().BeFalse("{0} {1} does not hold for {2}", op, literal, value);
        }
    }

    [Fact]
    public void Plan_BothBounds_RangeBetween()
    {
        IndexConditionPlanner.TryPlan(IndexCondition.Between("2", "5", upperInclusive: false), out var range, out _).Should().BeTrue();
        range.Contains(IndexValue.Entry(Encode("2"), "a")).Should().BeTrue();
        range.Contains(IndexValue.Entry(Encode("4.99"), "a")).Should().BeTrue();
        range.Contains(IndexValue.Entry(Encode("5"), "a")).Should().BeFalse();
    }

    [Fact]
    public void Plan_BadCondition_RefusedNamingTheProblem()
    {
        IndexCondition[] bad =
        [
            new(Eq: "1", Upper: "2"),
            new(Eq: "1", Prefix: "a"),
            new(Lower: "1", Prefix: "a"),
            new(Eq: "open"),
            new(Lower: "{}"),
            new(Lower: "1", Upper: "\"z\""),
            new(Lower: "true", Upper: "3"),
        ];
        foreach (var condition in bad)
        {
            IndexConditionPlanner.TryPlan(condition, out _, out var error).Should().BeFalse("{0} is invalid", condition);
            error.Should().NotBeNullOrEmpty();
        }
    }

    [Fact]
    public void Encode_NumberFromDocument_SameAsLiteral()
    {
        using var doc = JsonDocument.Parse("""{"n":-12.5}""");
        IndexValue.Encode(doc.RootElement.GetProperty("n")).Should().Equal(Encode("-12.5"));
    }
}
