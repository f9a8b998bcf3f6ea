namespace Actors.XmppBridge.Client;

/// <summary>
/// An IQ request was sent on a stream session that ended without XEP-0198 resumption, so its response can
/// no longer arrive: the server replaced the session with a fresh one. The request may or may not have been
/// processed; retry it only if it is safe to repeat.
/// </summary>
public sealed class XmppSessionLostException(string message)
    : XmppException(message)
{
}
