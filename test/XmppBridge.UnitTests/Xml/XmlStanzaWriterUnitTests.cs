using System.Text;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.UnitTests.Xml;

public sealed class XmlStanzaWriterUnitTests
{
    [Fact]
    public void ToXml_SpecialCharacters_AreEscapedAndRoundTrip()
    {
        var message = new Message(Jid.Parse("b@example.org"), "a < b & c > d \"q\" 'a' ]]> \r\n\ttab 😀") { Id = "i\"d&<>\t\n" };
        message.Element.Add(new XElement(XName.Get("x", "urn:test"), new XAttribute(XName.Get("lang", XmppNamespaces.Xml), "en"), new XElement(XName.Get("y", "urn:test"))));

        var xml = XmlStanzaWriter.ToXml(message.Element);

        xml.Should().StartWith("<message to=\"b@example.org\" type=\"chat\"");
        xml.Should().Contain("a &lt; b &amp; c &gt; d \"q\" 'a' ]]&gt; &#13;\n\ttab 😀");
        xml.Should().Contain("id=\"i&quot;d&amp;&lt;&gt;&#9;&#10;\"");
        xml.Should().Contain("<x xmlns=\"urn:test\" xml:lang=\"en\"><y/></x>");

        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink);
        parser.Push(Encoding.UTF8.GetBytes("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + xml));
        var parsed = new Message(sink.Elements.Single());
        parsed.Body.Should().Be(message.Body, "a carriage return is sent as a character reference, which XML does not normalise");
        parsed.Id.Should().Be(message.Id);
        XNode.DeepEquals(parsed.Element.Element(XName.Get("x", "urn:test")), message.Element.Element(XName.Get("x", "urn:test"))).Should().BeTrue();
    }

    [Theory]
    [InlineData(0x0001, 0x0041)]
    [InlineData(0xFFFF, 0x0041)]
    [InlineData(0xD800, 0x0041)]
    [InlineData(0x0041, 0xDC00)]
    public void ToXml_CharacterXmlCannotCarry_Throws(int first, int second)
    {
        // Code units, not strings: test runners may replace lone surrogates in string arguments.
        var text = new string([(char)first, (char)second]);
        var act = () => XmlStanzaWriter.ToXml(new Message { Body = text }.Element);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ToXml_ElementWithoutNamespaceInsideNamespacedParent_ResetsDefaultNamespace()
    {
        var e = new XElement(XName.Get("query", "urn:q"), new XElement("plain"));
        XmlStanzaWriter.ToXml(e).Should().Be("<query xmlns=\"urn:q\"><plain xmlns=\"\"/></query>");
    }
}
