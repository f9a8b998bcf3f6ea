using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.UnitTests.Store;

/// <summary>The other urn:actors:1 payloads: each one class that builds and reads its element.</summary>
public sealed class StorePayloadsUnitTests
{
    [Fact]
    public void Written_RoundTrip()
    {
        var message = new XElement("message", new WrittenPayload("topic/1", 4, Duplicate: true).ToElement());

        WrittenPayload.TryFind(XElement.Parse(message.ToString()), out var written).Should().BeTrue();
        written.Should().Be(new WrittenPayload("topic/1", 4, true));
    }

    [Fact]
    public void Written_AbsentOrWithoutVersion_NotFound()
    {
        WrittenPayload.TryFind(new XElement("message"), out _).Should().BeFalse();
        WrittenPayload.TryFind(new XElement("message", new XElement(XName.Get("written", "urn:actors:1"), new XAttribute("root", "topic/1"))), out _).Should().BeFalse();
    }

    [Fact]
    public void ReadAndDocument_RoundTrip()
    {
        var read = new ReadPayload(RootId.Parse("topic/1"), "/a/0");
        ReadPayload.TryParse(XElement.Parse(read.ToElement().ToString()), out var back, out _).Should().BeTrue();
        back.Should().Be(read);

        var document = new DocumentPayload("topic/1", 3, """{"a":"<&>"}""");
        DocumentPayload.TryParse(XElement.Parse(document.ToElement().ToString()), out var doc).Should().BeTrue();
        doc.Should().Be(document);
    }

    [Fact]
    public void Silo_RoundTrip_OptionalStatisticsStayAbsent()
    {
        var full = new SiloPayload("silo-1", "10.0.0.1:11111@1", "Active", 1204, 12, 300, 3, "1.0.0");
        var bare = new SiloPayload("silo-2", null, "Joining", null, null, null, 1, "1.0.0");

        foreach (var silo in new[] { full, bare })
        {
            var presence = new XElement("presence", silo.ToElement());
            SiloPayload.TryFind(XElement.Parse(presence.ToString()), out var back).Should().BeTrue();
            back.Should().Be(silo);
        }
    }

    [Fact]
    public void Agent_RoundTrip_WireShapeOfDesign9_OptionalStatisticsStayAbsent()
    {
        var full = new AgentPayload("vm", 12, 1179, 78419, 3, 1);
        var bare = new AgentPayload("box", null, null, null, 0, 0);

        full.ToElement().ToString(SaveOptions.DisableFormatting).Should().Be(
            "<agent machine=\"vm\" cpu=\"12\" memory-mb=\"1179\" disk-free-mb=\"78419\" silos=\"3\" gateways=\"1\" xmlns=\"urn:actors:1\" />");
        foreach (var agent in new[] { full, bare })
        {
            var presence = new XElement("presence", agent.ToElement());
            AgentPayload.TryFind(XElement.Parse(presence.ToString()), out var back).Should().BeTrue();
            back.Should().Be(agent);
        }

        AgentPayload.TryFind(new XElement("presence"), out _).Should().BeFalse();
    }
}
