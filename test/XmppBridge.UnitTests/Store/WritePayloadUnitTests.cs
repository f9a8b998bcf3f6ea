using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.UnitTests.Store;

/// <summary>The <c>&lt;write/&gt;</c> codec: what the writer builds is what the bridge reads, and nothing else is taken for JSON.</summary>
public sealed class WritePayloadUnitTests
{
    public static TheoryData<WriteOp> EveryOp => [.. WriteOps.All.Select(o => o.Op)];

    [Theory]
    [MemberData(nameof(EveryOp))]
    public void ToElement_ThenTryParse_SamePayload(WriteOp op)
    {
        var json = op.Describe().Body switch { WriteBody.None => null, WriteBody.Array => """[{"op":"add","path":"/a","value":"<&>"}]""", _ => """{"a":"<&>"}""" };
        var sent = new WritePayload(RootId.Parse("topic/42"), op, json, 7);

        var wire = XElement.Parse(sent.ToElement().ToString());

        WritePayload.TryParse(wire, out var read, out var error).Should().BeTrue(error?.Message);
        read.Should().Be(sent);
    }

    [Fact]
    public void TryParse_JsonInChildElement_RefusedNotTakenAsEmptyObject()
    {
        var write = XElement.Parse("""<write xmlns="urn:actors:1" root="topic/42" op="put"><json xmlns="urn:example">{}</json></write>""");

        WritePayload.TryParse(write, out var payload, out var error).Should().BeFalse();

        payload.Should().BeNull();
        error!.Kind.Should().Be(ActorsErrorKind.InvalidCommand);
        error.Message.Should().Contain("<json/>").And.Contain("text");
    }

    [Fact]
    public void TryParse_ChildElementBesideText_Refused()
    {
        var write = XElement.Parse("""<write xmlns="urn:actors:1" root="topic/42" op="merge">{"a":1}<b/></write>""");

        WritePayload.TryParse(write, out _, out var error).Should().BeFalse();
        error!.Kind.Should().Be(ActorsErrorKind.InvalidCommand);
    }

    [Fact]
    public void TryParse_CData_IsTheJson()
    {
        var write = XElement.Parse("""<write xmlns="urn:actors:1" root="topic/42" op="put"><![CDATA[{"a":"<b>"}]]></write>""");

        WritePayload.TryParse(write, out var payload, out _).Should().BeTrue();
        payload!.Json.Should().Be("""{"a":"<b>"}""");
    }

    [Theory]
    [InlineData("""<write xmlns="urn:actors:1" root="Topic/1" op="put">{}</write>""", ActorsErrorKind.InvalidRootId)]
    [InlineData("""<write xmlns="urn:actors:1" root="topic/1" op="frobnicate">{}</write>""", ActorsErrorKind.InvalidCommand)]
    [InlineData("""<write xmlns="urn:actors:1" root="topic/1" op="put" if-version="-1">{}</write>""", ActorsErrorKind.InvalidCommand)]
    public void TryParse_Malformed_ErrorNamesTheRule(string xml, ActorsErrorKind kind)
    {
        WritePayload.TryParse(XElement.Parse(xml), out _, out var error).Should().BeFalse();
        error!.Kind.Should().Be(kind);
    }

    [Fact]
    public void TryParse_DeleteWithoutText_HasNoBody()
    {
        WritePayload.TryParse(XElement.Parse("""<write xmlns="urn:actors:1" root="topic/1" op="delete"/>"""), out var payload, out _).Should().BeTrue();
        payload!.Json.Should().BeNull();
    }
}
