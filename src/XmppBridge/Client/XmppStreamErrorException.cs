namespace Actors.XmppBridge.Client;

/// <summary>
/// The stream ended with a stream error (RFC 6120 §4.9): sent by the server, or raised by this client
/// when the server's XML broke the rules (then the client sent the same condition before closing).
/// </summary>
public sealed class XmppStreamErrorException(string condition, string? text, bool sentByPeer)
    : XmppException($"XMPP stream error: {condition}{(text is null ? string.Empty : " — " + text)}")
{
    /// <summary>The stream error condition element name, e.g. <c>policy-violation</c>.</summary>
    public string Condition { get; } = condition;

    /// <summary>The explanation, if any.</summary>
    public string? Text { get; } = text;

    /// <summary>True when the server sent the error; false when this client raised it.</summary>
    public bool SentByPeer { get; } = sentByPeer;
}
