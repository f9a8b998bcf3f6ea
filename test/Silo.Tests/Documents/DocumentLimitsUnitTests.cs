using System.Text;
using Actors.Contracts;
using Actors.Silo.Documents;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Tests.Documents;

public sealed class DocumentLimitsUnitTests
{
    private const int OneMiB = 1_048_576;
    private readonly DocumentEngine _engine = new(DocumentLimits.Default);

    [Fact]
    public void Defaults_MatchDesign()
    {
        DocumentLimits.Default.MaxDocumentBytes.Should().Be(OneMiB);
        DocumentLimits.Default.MaxDepth.Should().Be(64);
    }

    [Fact]
    public void Put_ExactlyMaxBytes_IsStored()
    {
        var body = JsonTestHelpers.DocumentOfSize(OneMiB);

        var result = _engine.Apply(null, WriteCommand.Put("w", body));

        result.Error.Should().BeNull();
        Encoding.UTF8.GetByteCount(result.Json!).Should().Be(OneMiB);
    }

    [Fact]
    public void Put_OneByteOverMaxBytes_IsTooLarge()
    {
        var result = _engine.Apply(null, WriteCommand.Put("w", JsonTestHelpers.DocumentOfSize(OneMiB + 1)));

        result.Error!.Kind.Should().Be(ActorsErrorKind.TooLarge);
        result.Error.Message.Should().Contain("1,048,577").And.Contain("1,048,576");
    }

    [Fact]
    public void Put_WhitespaceDoesNotCount_SizeIsOfCompactForm()
    {
        var compact = JsonTestHelpers.DocumentOfSize(OneMiB);
        var padded = "  {  \"a\" :  " + compact[5..^1] + "  }  \n";

        var result = _engine.Apply(null, WriteCommand.Put("w", padded));

        result.Error.Should().BeNull();
        result.Json.Should().Be(compact);
    }

    [Fact]
    public void Merge_ResultOneByteOver_IsTooLargeAndExactlyAtLimitIsStored()
    {
        // Adding ,"b":123 takes exactly 8 bytes; ,"b":1234 takes 9.
        var current = JsonTestHelpers.DocumentOfSize(OneMiB - 8);

        _engine.Apply(current, WriteCommand.Merge("w", """{"b":123}""")).Json!.Length.Should().Be(OneMiB);
        _engine.Apply(current, WriteCommand.Merge("w", """{"b":1234}""")).Error!.Kind.Should().Be(ActorsErrorKind.TooLarge);
    }

    [Fact]
    public void Patch_ResultExactlyAtAndOneOverLimit()
    {
        var current = JsonTestHelpers.DocumentOfSize(OneMiB - 8);

        _engine.Apply(current, WriteCommand.Patch("w", """[{"op":"add","path":"/b","value":123}]""")).Json!.Length.Should().Be(OneMiB);
        _engine.Apply(current, WriteCommand.Patch("w", """[{"op":"add","path":"/b","value":1234}]""")).Error!.Kind.Should().Be(ActorsErrorKind.TooLarge);
    }

    [Fact]
    public void Patch_ReplaceLargeValueNearLimit_IsMeasuredExactlyNotRefused()
    {
        var current = JsonTestHelpers.DocumentOfSize(OneMiB);
        var replacement = new string('y', OneMiB - 8);

        var result = _engine.Apply(current, WriteCommand.Patch("w", $$"""[{"op":"replace","path":"/a","value":"{{replacement}}"}]"""));

        result.Error.Should().BeNull();
        result.Json!.Length.Should().Be(OneMiB);
    }

    [Fact]
    public void Patch_CopyDocumentIntoItselfRepeatedly_IsTooLargeBeforeMemoryBlowsUp()
    {
        var current = JsonTestHelpers.DocumentOfSize(10_000);
        var ops = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"op":"copy","from":"","path":"/c{{i}}"}"""));

        var result = _engine.Apply(current, WriteCommand.Patch("w", $"[{ops}]"));

        result.Error!.Kind.Should().Be(ActorsErrorKind.TooLarge);
    }

    [Fact]
    public void Put_ExactlyMaxDepth_IsStored()
    {
        var result = _engine.Apply(null, WriteCommand.Put("w", JsonTestHelpers.NestedDocument(64)));

        result.Error.Should().BeNull();
    }

    [Fact]
    public void Put_OneLevelOverMaxDepth_IsTooDeep()
    {
        var result = _engine.Apply(null, WriteCommand.Put("w", JsonTestHelpers.NestedDocument(65)));

        result.Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
    }

    [Fact]
    public void Merge_AtAndOverMaxDepth()
    {
        _engine.Apply("{}", WriteCommand.Merge("w", JsonTestHelpers.NestedDocument(64))).Error.Should().BeNull();
        _engine.Apply("{}", WriteCommand.Merge("w", JsonTestHelpers.NestedDocument(65))).Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
    }

    [Fact]
    public void Patch_ValueReachingExactlyMaxDepth_IsStoredAndOneMoreIsTooDeep()
    {
        // Under "/x/y" (two tokens) a value of depth 62 reaches level 64.
        var current = """{"x":{}}""";

        _engine.Apply(current, WriteCommand.Patch("w", $$"""[{"op":"add","path":"/x/y","value":{{JsonTestHelpers.NestedArrays(62)}}}]""")).Error.Should().BeNull();
        _engine.Apply(current, WriteCommand.Patch("w", $$"""[{"op":"add","path":"/x/y","value":{{JsonTestHelpers.NestedArrays(63)}}}]""")).Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
    }

    [Fact]
    public void Patch_ReplaceRootWithMaxDepthDocument_IsStored()
    {
        var result = _engine.Apply(null, WriteCommand.Patch("w", $$"""[{"op":"replace","path":"","value":{{JsonTestHelpers.NestedDocument(64)}}}]"""));

        result.Error.Should().BeNull();
    }

    [Fact]
    public void Patch_MoveDeepValueDeeper_IsTooDeep()
    {
        // "/x/y/z/w" has four tokens; the moved value is 61 deep, so it would reach level 65.
        var current = "{\"deep\":" + JsonTestHelpers.NestedArrays(61) + ",\"x\":{\"y\":{\"z\":{}}}}";

        var result = _engine.Apply(current, WriteCommand.Patch("w", """[{"op":"move","from":"/deep","path":"/x/y/z/w"}]"""));

        result.Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
    }

    [Theory]
    [InlineData(WriteOp.Put)]
    [InlineData(WriteOp.Merge)]
    [InlineData(WriteOp.Patch)]
    public void Apply_TenThousandDeepBody_IsTooDeepWithoutCrashing(WriteOp op)
    {
        var deep = "{\"a\":" + JsonTestHelpers.NestedArrays(10_000) + "}";
        var unclosed = "[" + new string('[', 10_000);

        foreach (var body in new[] { deep, unclosed, "[" + deep + "]" })
        {
            var result = _engine.Apply("{}", new WriteCommand(op, "w", body));

            result.Error!.Kind.Should().Be(ActorsErrorKind.TooDeep, body[..10]);
        }

        CommandFingerprint.Compute(new WriteCommand(op, "w", deep)).Should().NotBe(UInt128.Zero);
    }

    [Fact]
    public void CustomLimits_AreApplied()
    {
        var engine = new DocumentEngine(new DocumentLimits { MaxDocumentBytes = 20, MaxDepth = 2 });

        engine.Apply(null, WriteCommand.Put("w", """{"a":[1]}""")).Error.Should().BeNull();
        engine.Apply(null, WriteCommand.Put("w", """{"a":[[1]]}""")).Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
        engine.Apply(null, WriteCommand.Put("w", """{"a":"0123456789abc"}""")).Error!.Kind.Should().Be(ActorsErrorKind.TooLarge);
        engine.Apply("{}", WriteCommand.Merge("w", """{"a":{"b":{}}}""")).Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
    }

    [Theory]
    [InlineData(0, 64, false)]
    [InlineData(OneMiB, 0, false)]
    [InlineData(OneMiB, DocumentLimits.MaxConfigurableDepth + 1, false)]
    [InlineData(OneMiB, 64, true)]
    public void Validator_RefusesUnworkableLimits(int bytes, int depth, bool valid)
    {
        var result = new DocumentLimitsValidator().Validate(null, new DocumentLimits { MaxDocumentBytes = bytes, MaxDepth = depth });

        result.Succeeded.Should().Be(valid, result.FailureMessage);
        if (!valid)
        {
            result.FailureMessage.Should().Contain(nameof(DocumentLimits));
        }
    }
}
