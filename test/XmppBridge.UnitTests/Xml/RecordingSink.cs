using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.UnitTests.Xml;

/// <summary>Records parser events as comparable strings.</summary>
internal sealed class RecordingSink : IXmlStreamSink
{
    public List<string> Events { get; } = [];

    public List<XElement> Elements { get; } = [];

    public void OnStreamStart(XElement header) =>
        Events.Add("start " + header.Name + " " + string.Join(" ", header.Attributes().Select(a => a.Name + "=" + a.Value)));

    public void OnElement(XElement element)
    {
        Elements.Add(element);
        Events.Add("element " + XmlStanzaWriter.ToXml(element) + " | " + element.Name);
    }

    public void OnStreamEnd() => Events.Add("end");
}
