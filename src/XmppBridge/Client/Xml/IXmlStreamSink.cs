using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Xml;

/// <summary>Receives the events of <see cref="XmlStreamParser"/> in stream order.</summary>
internal interface IXmlStreamSink
{
    /// <summary>The opening <c>&lt;stream:stream&gt;</c> tag; <paramref name="header"/> carries its attributes only.</summary>
    void OnStreamStart(XElement header);

    /// <summary>A complete first-level child of the stream: a stanza or a nonza.</summary>
    void OnElement(XElement element);

    /// <summary>The closing <c>&lt;/stream:stream&gt;</c> tag.</summary>
    void OnStreamEnd();
}
