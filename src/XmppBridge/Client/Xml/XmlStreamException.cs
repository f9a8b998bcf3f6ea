namespace Actors.XmppBridge.Client.Xml;

/// <summary>
/// Raised by <see cref="XmlStreamParser"/> when the peer violates XML or the XMPP restrictions on it.
/// The connection answers with the stream error named by <see cref="Condition"/> and closes (RFC 6120 §4.9).
/// </summary>
internal sealed class XmlStreamException(StreamErrorCondition condition, string message) : Exception(message)
{
    public StreamErrorCondition Condition { get; } = condition;
}
