using System.Text.Json.Nodes;
using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

public sealed class MergePatchUnitTests
{
    // RFC 7386 Appendix A, every row.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", "{}")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("[1,2]", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("{}", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7386AppendixA_GivesExpectedResult(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        JsonNode.DeepEquals(result, JsonNode.Parse(expected)).Should().BeTrue($"got {result?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void Merge_AbsentRoot_StartsFromEmptyObject()
    {
        var engine = new DocumentEngine(DocumentLimits.Default);

        var result = engine.Apply(null, WriteCommand.Merge("w1", """{"a":{"b":1,"c":null}}"""));

        result.Json.Should().Be("""{"a":{"b":1}}""");
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("3")]
    public void Merge_BodyNotAnObject_IsNotAnObject(string body)
    {
        var engine = new DocumentEngine(DocumentLimits.Default);

        var result = engine.Apply("""{"a":1}""", WriteCommand.Merge("w1", body));

        result.Error!.Kind.Should().Be(ActorsErrorKind.NotAnObject);
    }

    [Fact]
    public void Merge_ExistingDocument_KeepsMemberOrderAndAppendsNewMembers()
    {
        var engine = new DocumentEngine(DocumentLimits.Default);

        var result = engine.Apply("""{"x":1,"y":{"z":2},"w":3}""", WriteCommand.Merge("w1", """{"y":{"q":4},"n":5,"w":null}"""));

        result.Json.Should().Be("""{"x":1,"y":{"z":2,"q":4},"n":5}""");
    }
}
