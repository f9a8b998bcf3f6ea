using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.UnitTests.Store;

public sealed class QueryPayloadUnitTests
{
    private static readonly XNamespace Actors = "urn:actors:1";
    private static readonly XNamespace Rsm = "http://jabber.org/protocol/rsm";

    [Fact]
    public void Query_RoundTripsThroughItsElement()
    {
        var query = new RootQuery("topic", "status", IndexCondition.Between("\"a\"", "\"m\"", lowerInclusive: false), Descending: true,
            Limit: 50, After: "tok", IncludeDocuments: true, Filters: [new QueryFilter("/n", FilterOp.Ge, "3")]);

        var element = new QueryPayload(query).ToElement();
        QueryPayload.TryParse(XElement.Parse(element.ToString()), out var parsed, out var error).Should().BeTrue(error?.Message);

        parsed!.Query.Should().BeEquivalentTo(query);
        element.Element(Rsm + "set")!.Element(Rsm + "max")!.Value.Should().Be("50");
    }

    [Fact]
    public void Query_AsTheDesignWritesIt_IsRead()
    {
        var element = XElement.Parse("""
            <query xmlns="urn:actors:1" type="topic" index="status" eq='"open"'>
              <filter pointer="/votes" op="gt" value="10"/>
              <set xmlns="http://jabber.org/protocol/rsm"><max>50</max><after>abc</after></set>
            </query>
            """);

        QueryPayload.TryParse(element, out var parsed, out var error).Should().BeTrue(error?.Message);

        parsed!.Query.Should().BeEquivalentTo(new RootQuery("topic", "status", IndexCondition.Equal("\"open\""), Limit: 50, After: "abc",
            Filters: [new QueryFilter("/votes", FilterOp.Gt, "10")]));
    }

    [Theory]
    [InlineData("""<query xmlns="urn:actors:1" type="topic" colour="red"/>""", "unknown attribute 'colour'")]
    [InlineData("""<query xmlns="urn:actors:1" type="topic"><sort/></query>""", "unknown child <sort/>")]
    [InlineData("""<query xmlns="urn:actors:1" type="topic"><set xmlns="http://jabber.org/protocol/rsm"><max>0</max></set></query>""", "from 1 to 1000")]
    [InlineData("""<query xmlns="urn:actors:1" type="topic"><set xmlns="http://jabber.org/protocol/rsm"><before/></set></query>""", "not supported")]
    [InlineData("""<query xmlns="urn:actors:1" type="topic" index="s" eq="open"/>""", "not a JSON literal")]
    [InlineData("""<query xmlns="urn:actors:1" type="topic"><filter pointer="/n" op="about" value="1"/></query>""", "<pointer>,<op>,<json>")]
    public void BadQuery_IsRefusedNamingTheFix(string xml, string fix)
    {
        QueryPayload.TryParse(XElement.Parse(xml), out _, out var error).Should().BeFalse();

        error!.Kind.Should().Be(ActorsErrorKind.InvalidQuery);
        error.Message.Should().Contain(fix);
    }

    [Fact]
    public void Query_WithoutType_IsAnInvalidRootId()
    {
        QueryPayload.TryParse(new XElement(Actors + "query"), out _, out var error).Should().BeFalse();

        error!.Kind.Should().Be(ActorsErrorKind.InvalidRootId);
    }

    [Fact]
    public void Result_RoundTrips_AndLastCarriesTheNextToken()
    {
        var page = new QueryPage([new QueryItem("topic/1", 3, """{"a":"<b>"}"""), new QueryItem("topic/2", 1)], "next-token");

        var element = new QueryResultPayload("topic", page).ToElement();
        QueryResultPayload.TryParse(XElement.Parse(element.ToString()), out var parsed).Should().BeTrue();

        parsed!.Page.Should().BeEquivalentTo(page);
        element.Element(Rsm + "set")!.Element(Rsm + "last")!.Value.Should().Be("next-token");
        element.Elements(Actors + "root").First().Attribute("id")!.Value.Should().Be("topic/1");
    }

    [Fact]
    public void Result_LastPage_HasNoLast()
    {
        var element = new QueryResultPayload("topic", new QueryPage([], null)).ToElement();

        element.Element(Rsm + "set")!.Element(Rsm + "last").Should().BeNull();
        QueryResultPayload.TryParse(element, out var parsed).Should().BeTrue();
        parsed!.Page.Next.Should().BeNull();
    }
}
