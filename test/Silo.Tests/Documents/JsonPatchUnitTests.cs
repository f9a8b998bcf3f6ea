using System.Text.Json.Nodes;
using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

public sealed class JsonPatchUnitTests
{
    private readonly DocumentEngine _engine = new(DocumentLimits.Default);

    // RFC 6902 Appendix A, the examples that succeed.
    [Theory]
    [InlineData("A.1", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("A.2", """{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("A.3", """{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("A.4", """{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("A.5", """{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("A.6", """{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("A.7", """{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("A.8", """{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("A.10", """{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("A.11", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("A.14", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("A.16", """{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    public void Apply_Rfc6902AppendixA_GivesExpectedResult(string example, string document, string patch, string expected)
    {
        var result = _engine.Apply(document, WriteCommand.Patch("w", patch));

        result.Error.Should().BeNull(example);
        result.Json.ShouldEqualJson(expected);
    }

    // RFC 6902 Appendix A, the examples that fail.
    [Theory]
    [InlineData("A.9", """{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", ActorsErrorKind.PatchFailed)]
    [InlineData("A.12", """{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", ActorsErrorKind.PatchFailed)]
    [InlineData("A.13", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","op":"remove"}]""", ActorsErrorKind.InvalidJson)]
    [InlineData("A.15", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", ActorsErrorKind.PatchFailed)]
    public void Apply_Rfc6902AppendixAFailures_AreRefused(string example, string document, string patch, ActorsErrorKind kind)
    {
        var result = _engine.Apply(document, WriteCommand.Patch("w", patch));

        result.Error!.Kind.Should().Be(kind, example);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""", "the body must be a JSON array")]
    [InlineData("""[1]""", "patch[0] must be a JSON object")]
    [InlineData("""[{"path":"/a"}]""", "'op'")]
    [InlineData("""[{"op":1,"path":"/a"}]""", "'op'")]
    [InlineData("""[{"op":"spam","path":"/a"}]""", "unknown op 'spam'")]
    [InlineData("""[{"op":"remove"}]""", "'path'")]
    [InlineData("""[{"op":"remove","path":null}]""", "'path'")]
    [InlineData("""[{"op":"remove","path":7}]""", "'path'")]
    [InlineData("""[{"op":"remove","path":"a"}]""", "must start with '/'")]
    [InlineData("""[{"op":"remove","path":"/a~2"}]""", "'~'")]
    [InlineData("""[{"op":"add","path":"/a"}]""", "'value'")]
    [InlineData("""[{"op":"replace","path":"/a"}]""", "'value'")]
    [InlineData("""[{"op":"test","path":"/a"}]""", "'value'")]
    [InlineData("""[{"op":"move","path":"/a"}]""", "'from'")]
    [InlineData("""[{"op":"copy","path":"/a","from":["x"]}]""", "'from'")]
    [InlineData("""[{"op":"copy","path":"/a","from":"x"}]""", "'from'")]
    [InlineData("""[{"op":"test","path":"/missing","value":1},{"op":"bogus","path":"/a"}]""", "patch[1]")]
    public void Apply_MalformedPatch_IsInvalidPatch(string patch, string messagePart)
    {
        var result = _engine.Apply("""{"a":1}""", WriteCommand.Patch("w", patch));

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidPatch);
        result.Error.Message.Should().Contain(messagePart);
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/b"}]""", "patch[0] (remove '/b')")]
    [InlineData("""[{"op":"add","path":"/a/x","value":1}]""", "patch[0] (add '/a/x')")]
    [InlineData("""[{"op":"add","path":"/arr/3","value":1}]""", "past the end")]
    [InlineData("""[{"op":"add","path":"/arr/01","value":1}]""", "not an array index")]
    [InlineData("""[{"op":"replace","path":"/arr/2","value":1}]""", "patch[0] (replace '/arr/2')")]
    [InlineData("""[{"op":"add","path":"/c","value":1},{"op":"move","from":"/o","path":"/o/p"}]""", "patch[1] (move from '/o' to '/o/p'): a value cannot be moved into one of its own children")]
    [InlineData("""[{"op":"copy","from":"/nope","path":"/c"}]""", "nothing at '/nope'")]
    [InlineData("""[{"op":"remove","path":""}]""", "whole document")]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", "patch[0] (test '/a')")]
    public void Apply_PatchThatCannotApply_IsPatchFailedNamingOpAndPath(string patch, string messagePart)
    {
        var result = _engine.Apply("""{"a":1,"arr":[1,2],"o":{"p":1}}""", WriteCommand.Patch("w", patch));

        result.Error!.Kind.Should().Be(ActorsErrorKind.PatchFailed);
        result.Error.Message.Should().Contain(messagePart);
    }

    [Fact]
    public void TryApply_LaterOperationFails_OriginalUntouchedAndNoResult()
    {
        var document = JsonNode.Parse("""{"a":1,"list":[1,2]}""");
        JsonPatch.TryParse(JsonNode.Parse("""[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/list/0"},{"op":"test","path":"/a","value":9}]"""), DocumentLimits.Default, out var patch, out _)
            .Should().BeTrue();

        patch!.TryApply(document, DocumentLimits.Default, out var result, out var error).Should().BeFalse();

        error!.Kind.Should().Be(ActorsErrorKind.PatchFailed);
        error.Message.Should().Contain("patch[2]");
        result.Should().BeNull();
        document!.ToJsonString().Should().Be("""{"a":1,"list":[1,2]}""");
    }

    [Fact]
    public void TryApply_SamePatchTwice_ValuesAreCopiedNotMoved()
    {
        JsonPatch.TryParse(JsonNode.Parse("""[{"op":"add","path":"/v","value":{"x":[1]}}]"""), DocumentLimits.Default, out var patch, out _).Should().BeTrue();

        patch!.TryApply(JsonNode.Parse("{}"), DocumentLimits.Default, out var first, out _).Should().BeTrue();
        patch.TryApply(JsonNode.Parse("{}"), DocumentLimits.Default, out var second, out _).Should().BeTrue();

        first!.ToJsonString().Should().Be("""{"v":{"x":[1]}}""");
        second!.ToJsonString().Should().Be("""{"v":{"x":[1]}}""");
    }

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("100", "1e2")]
    [InlineData("""{"a":1,"b":[1,{"c":null}]}""", """{"b":[1.0,{"c":null}],"a":1}""")]
    [InlineData("\"ab\"", "\"a\\u0062\"")]
    public void Test_EqualValuesInOtherForms_Passes(string stored, string expected)
    {
        var result = _engine.Apply($$"""{"v":{{stored}}}""", WriteCommand.Patch("w", $$"""[{"op":"test","path":"/v","value":{{expected}}}]"""));

        result.Error.Should().BeNull();
    }

    [Theory]
    [InlineData("1", "\"1\"")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("""{"a":1}""", """{"a":1,"b":null}""")]
    [InlineData("null", "false")]
    [InlineData("0", "false")]
    public void Test_DifferentValues_Fails(string stored, string expected)
    {
        var result = _engine.Apply($$"""{"v":{{stored}}}""", WriteCommand.Patch("w", $$"""[{"op":"test","path":"/v","value":{{expected}}}]"""));

        result.Error!.Kind.Should().Be(ActorsErrorKind.PatchFailed);
    }

    [Fact]
    public void Patch_AbsentRoot_StartsFromEmptyObject()
    {
        var result = _engine.Apply(null, WriteCommand.Patch("w", """[{"op":"add","path":"/a","value":[]},{"op":"add","path":"/a/-","value":1}]"""));

        result.Json.Should().Be("""{"a":[1]}""");
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"","value":[1]}]""")]
    [InlineData("""[{"op":"add","path":"","value":"text"}]""")]
    [InlineData("""[{"op":"move","from":"/a","path":""}]""")]
    public void Patch_ResultNotAnObject_IsNotAnObject(string patch)
    {
        var result = _engine.Apply("""{"a":1}""", WriteCommand.Patch("w", patch));

        result.Error!.Kind.Should().Be(ActorsErrorKind.NotAnObject);
    }

    [Fact]
    public void Patch_RootReplacedThroughAnArrayAndBack_ResultObjectIsAccepted()
    {
        var result = _engine.Apply("""{"a":1}""", WriteCommand.Patch("w", """[{"op":"replace","path":"","value":[{"k":2}]},{"op":"move","from":"/0","path":""}]"""));

        result.Json.Should().Be("""{"k":2}""");
    }
}
