using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

public sealed class JsonPointerUnitTests
{
    // RFC 6901 §5.
    private const string Rfc6901Document = """
        {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}
        """;

    [Theory]
    [InlineData("", """{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}""")]
    [InlineData("/foo", """["bar","baz"]""")]
    [InlineData("/foo/0", "\"bar\"")]
    [InlineData("/", "0")]
    [InlineData("/a~1b", "1")]
    [InlineData("/c%d", "2")]
    [InlineData("/e^f", "3")]
    [InlineData("/g|h", "4")]
    [InlineData("/i\\j", "5")]
    [InlineData("/k\"l", "6")]
    [InlineData("/ ", "7")]
    [InlineData("/m~0n", "8")]
    public void TryEvaluate_Rfc6901Examples_FindsValue(string pointer, string expected)
    {
        JsonPointer.TryParse(pointer, out var parsed, out var error).Should().BeTrue(error?.Message);

        using var document = JsonDocument.Parse(Rfc6901Document);
        parsed!.TryEvaluate(document.RootElement, out var element).Should().BeTrue();
        element.GetRawText().ShouldEqualJson(expected);

        parsed.TryEvaluate(JsonNode.Parse(Rfc6901Document), out var node).Should().BeTrue();
        JsonNode.DeepEquals(node, JsonNode.Parse(expected)).Should().BeTrue();
    }

    [Theory]
    [InlineData("a")]
    [InlineData("foo/bar")]
    [InlineData("#/foo")]
    [InlineData("/~")]
    [InlineData("/a~")]
    [InlineData("/~2")]
    [InlineData("/a~b")]
    [InlineData("/ok/~x/more")]
    public void TryParse_BadSyntax_IsInvalidPointer(string pointer)
    {
        JsonPointer.TryParse(pointer, out var parsed, out var error).Should().BeFalse();

        parsed.Should().BeNull();
        error!.Kind.Should().Be(ActorsErrorKind.InvalidPointer);
        error.Message.Should().Contain(pointer);
    }

    [Theory]
    [InlineData("/~01", new[] { "~1" })]
    [InlineData("/~10", new[] { "/0" })]
    [InlineData("/a~1b/m~0n", new[] { "a/b", "m~n" })]
    [InlineData("/", new[] { "" })]
    [InlineData("//", new[] { "", "" })]
    [InlineData("/a/", new[] { "a", "" })]
    public void TryParse_Escapes_DecodeTildeZeroAndOneInOnePass(string pointer, string[] tokens)
    {
        JsonPointer.TryParse(pointer, out var parsed, out _).Should().BeTrue();

        parsed!.Tokens.Should().Equal(tokens);
    }

    [Theory]
    [InlineData("/missing")]
    [InlineData("/arr/3")]
    [InlineData("/arr/-")]
    [InlineData("/arr/01")]
    [InlineData("/arr/00")]
    [InlineData("/arr/1e0")]
    [InlineData("/arr/-1")]
    [InlineData("/arr/ 1")]
    [InlineData("/arr/99999999999")]
    [InlineData("/n/x")]
    [InlineData("/s/0")]
    [InlineData("/z/x")]
    [InlineData("/obj/x/y")]
    [InlineData("/")]
    public void TryEvaluate_WellFormedButAddressesNothing_IsNotFound(string pointer)
    {
        const string Document = """{"arr": [10, 20, 30], "n": 1, "s": "text", "z": null, "obj": {"x": true}}""";
        JsonPointer.TryParse(pointer, out var parsed, out _).Should().BeTrue();

        using var document = JsonDocument.Parse(Document);
        parsed!.TryEvaluate(document.RootElement, out _).Should().BeFalse();
        parsed.TryEvaluate(JsonNode.Parse(Document), out _).Should().BeFalse();

        var read = DocumentEngine.Read("t/1", Document, pointer);
        read.Error!.Kind.Should().Be(ActorsErrorKind.PointerNotFound);
        read.Error.Message.Should().Contain("t/1");
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("10", true, 10)]
    [InlineData("2147483647", true, int.MaxValue)]
    [InlineData("2147483648", false, -1)]
    [InlineData("01", false, -1)]
    [InlineData("-", false, -1)]
    [InlineData("", false, -1)]
    [InlineData("+1", false, -1)]
    [InlineData("1.0", false, -1)]
    public void TryParseArrayIndex_Token_AcceptsOnlyDigitsWithoutLeadingZero(string token, bool ok, int index)
    {
        JsonPointer.TryParseArrayIndex(token, out var parsed).Should().Be(ok);
        if (ok)
        {
            parsed.Should().Be(index);
        }
    }

    [Fact]
    public void TryEvaluate_NullMember_IsFoundAsJsonNull()
    {
        JsonPointer.TryParse("/z", out var parsed, out _).Should().BeTrue();

        parsed!.TryEvaluate(JsonNode.Parse("""{"z": null}"""), out var value).Should().BeTrue();
        value.Should().BeNull();
        DocumentEngine.Read("t/1", """{"z":null}""", "/z").Json.Should().Be("null");
    }

    [Fact]
    public void IsProperPrefixOf_AncestorAndSelf_OnlyAncestorIsPrefix()
    {
        JsonPointer.TryParse("/a/b", out var ab, out _);
        JsonPointer.TryParse("/a/b/c", out var abc, out _);
        JsonPointer.TryParse("/a/bc", out var abc2, out _);

        ab!.IsProperPrefixOf(abc!).Should().BeTrue();
        ab.IsProperPrefixOf(ab).Should().BeFalse();
        ab.IsProperPrefixOf(abc2!).Should().BeFalse();
        JsonPointer.Root.IsProperPrefixOf(ab).Should().BeTrue();
    }
}
