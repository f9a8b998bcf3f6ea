using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Contracts;

/// <summary>The one list of write ops: complete, unambiguous, and every op is one the document engine can take.</summary>
public sealed class WriteOpsUnitTests
{
    public static TheoryData<WriteOp> EveryOp => [.. Enum.GetValues<WriteOp>()];

    [Theory]
    [MemberData(nameof(EveryOp))]
    public void All_ListsEveryOpOnce_WithAWireNameThatParsesBack(WriteOp op)
    {
        WriteOps.All.Where(o => o.Op == op).Should().ContainSingle();
        WriteOps.TryParse(op.ToWireName(), out var parsed).Should().BeTrue();
        parsed.Should().Be(op);
    }

    [Fact]
    public void All_NamesAndHttpSelectorsAreUnique()
    {
        WriteOps.All.Select(o => o.Name).Should().OnlyHaveUniqueItems().And.OnlyContain(n => n == n.ToLowerInvariant());
        WriteOps.All.Select(o => (o.HttpMethod, o.MediaType)).Should().OnlyHaveUniqueItems("a method and content type select exactly one op");
        WriteOps.All.Select(o => o.HttpMethod).Should().BeSubsetOf(["PUT", "PATCH", "DELETE"]);
        WriteOps.All.Should().OnlyContain(o => (o.Body == WriteBody.None) == (o.MediaType == null), "an op with a body is selected by its media type");
    }

    [Theory]
    [MemberData(nameof(EveryOp))]
    public void Validate_BodyRuleFollowsTheList(WriteOp op)
    {
        var info = op.Describe();
        var withBody = new WriteCommand(op, "w-1", info.Body == WriteBody.Array ? "[]" : "{}");
        var withoutBody = new WriteCommand(op, "w-1", null);

        (DocumentEngine.Validate(withBody) is null).Should().Be(info.Body != WriteBody.None);
        (DocumentEngine.Validate(withoutBody) is null).Should().Be(info.Body == WriteBody.None);
    }

    [Fact]
    public void TryParse_UnknownOrWrongCase_Refused()
    {
        WriteOps.TryParse("frobnicate", out _).Should().BeFalse();
        WriteOps.TryParse("PUT", out _).Should().BeFalse();
        WriteOps.TryParse(null, out _).Should().BeFalse();
    }
}
