using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

public sealed class DocumentEngineUnitTests
{
    private readonly DocumentEngine _engine = new(DocumentLimits.Default);

    [Fact]
    public void Put_Object_IsStoredCompactWithTextUnescaped()
    {
        var result = _engine.Apply("""{"old":true}""", WriteCommand.Put("w", "{ \"name\" : \"caf\\u00e9 <b>\" ,\n \"n\": [1, 2.50, -0] }"));

        result.Json.Should().Be("""{"name":"café <b>","n":[1,2.50,-0]}""");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData("\"s\"")]
    [InlineData("null")]
    public void Put_NotAnObject_IsNotAnObject(string body)
    {
        _engine.Apply(null, WriteCommand.Put("w", body)).Error!.Kind.Should().Be(ActorsErrorKind.NotAnObject);
    }

    [Theory]
    [InlineData(WriteOp.Put, "{\"a\":1,}")]
    [InlineData(WriteOp.Put, "{\"a\":1} x")]
    [InlineData(WriteOp.Merge, "{'a':1}")]
    [InlineData(WriteOp.Patch, "[{\"op\":\"add\",\"path\":\"/a\" \"value\":1}]")]
    [InlineData(WriteOp.Put, "{\"a\":1 /* c */}")]
    public void Apply_InvalidJson_IsInvalidJsonWithPosition(WriteOp op, string body)
    {
        var result = _engine.Apply("{}", new WriteCommand(op, "w", body));

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidJson);
        result.Error.Message.Should().Contain("line 1");
    }

    [Theory]
    [InlineData(WriteOp.Put, "{\"a\":\"\\ud800\"}")]
    [InlineData(WriteOp.Put, "{\"\\udc00\":1}")]
    [InlineData(WriteOp.Merge, "{\"a\":{\"b\":\"x\\ud800\"}}")]
    [InlineData(WriteOp.Patch, "[{\"op\":\"add\",\"path\":\"/a\",\"value\":\"\\ud800\"}]")]
    [InlineData(WriteOp.Patch, "[{\"op\":\"add\",\"path\":\"/\\ud800\",\"value\":1}]")]
    public void Apply_UnpairedSurrogateEscape_IsInvalidJsonNotACrash(WriteOp op, string body)
    {
        var result = _engine.Apply("{}", new WriteCommand(op, "w", body));

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidJson);
        CommandFingerprint.Compute(new WriteCommand(op, "w", body)).Should().Be(CommandFingerprint.Compute(new WriteCommand(op, "w", body)));
    }

    [Fact]
    public void Put_DuplicateMemberNames_IsInvalidJson()
    {
        var result = _engine.Apply(null, WriteCommand.Put("w", """{"a":1,"a":2}"""));

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidJson);
        result.Error.Message.Should().Contain("'a'");
    }

    [Theory]
    [InlineData(WriteOp.Put, null)]
    [InlineData(WriteOp.Merge, "")]
    [InlineData(WriteOp.Patch, "  ")]
    [InlineData(WriteOp.Delete, "{}")]
    public void Apply_BodyDoesNotFitOp_IsInvalidCommand(WriteOp op, string? body)
    {
        _engine.Apply("{}", new WriteCommand(op, "w", body)).Error!.Kind.Should().Be(ActorsErrorKind.InvalidCommand);
    }

    [Fact]
    public void Apply_Delete_IsLeftToTheGrain()
    {
        DocumentEngine.Validate(WriteCommand.Delete("w")).Should().BeNull();
        _engine.Apply("{}", WriteCommand.Delete("w")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidCommand);
    }

    [Fact]
    public void Validate_WriteIdMissingOrTooLong_IsInvalidWriteId()
    {
        DocumentEngine.Validate(WriteCommand.Put("", "{}"))!.Kind.Should().Be(ActorsErrorKind.InvalidWriteId);
        DocumentEngine.Validate(WriteCommand.Put(new string('w', WriteCommand.MaxWriteIdLength + 1), "{}"))!.Kind.Should().Be(ActorsErrorKind.InvalidWriteId);
        DocumentEngine.Validate(WriteCommand.Put(new string('w', WriteCommand.MaxWriteIdLength), "{}")).Should().BeNull();
    }

    [Theory]
    [InlineData(null, """{"a":{"b":[1,{"c":"d"}]},"e":null}""")]
    [InlineData("", """{"a":{"b":[1,{"c":"d"}]},"e":null}""")]
    [InlineData("/a/b/1", """{"c":"d"}""")]
    [InlineData("/a/b/0", "1")]
    [InlineData("/e", "null")]
    public void Read_PointerToValue_ReturnsCompactJson(string? pointer, string expected)
    {
        var result = DocumentEngine.Read("t/1", """{"a":{"b":[1,{"c":"d"}]},"e":null}""", pointer);

        result.Json.Should().Be(expected);
    }

    [Fact]
    public void Read_InvalidVersusMissingPointer_AreDifferentErrors()
    {
        DocumentEngine.Read("t/1", """{"a":1}""", "a").Error!.Kind.Should().Be(ActorsErrorKind.InvalidPointer);
        DocumentEngine.Read("t/1", """{"a":1}""", "/a~").Error!.Kind.Should().Be(ActorsErrorKind.InvalidPointer);
        DocumentEngine.Read("t/1", """{"a":1}""", "/b").Error!.Kind.Should().Be(ActorsErrorKind.PointerNotFound);
        DocumentEngine.Read("t/1", """{"a":1}""", "/a/0").Error!.Kind.Should().Be(ActorsErrorKind.PointerNotFound);
    }

    [Fact]
    public void Apply_FailedWrite_LeavesCurrentJsonAsItWas()
    {
        const string Current = """{"a":[1,2,3]}""";

        var result = _engine.Apply(Current, WriteCommand.Patch("w", """[{"op":"remove","path":"/a/0"},{"op":"remove","path":"/zzz"}]"""));

        result.Succeeded.Should().BeFalse();
        result.Json.Should().BeNull();
        _engine.Apply(Current, WriteCommand.Patch("w", "[]")).Json.Should().Be(Current);
    }
}
