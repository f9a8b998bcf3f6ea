using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client;

/// <summary>An IQ request was answered with an error (RFC 6120 §8.3).</summary>
public sealed class XmppStanzaException(StanzaError error)
    : XmppException($"XMPP stanza error: {error}")
{
    /// <summary>The error the responder sent.</summary>
    public StanzaError Error { get; } = error;
}
