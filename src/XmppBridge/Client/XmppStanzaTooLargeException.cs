namespace Actors.XmppBridge.Client;

/// <summary>
/// <see cref="XmppClient.SendAsync"/> was given a stanza larger than <see cref="Options.XmppClientOptions.MaxOutboundStanzaBytes"/>.
/// Nothing was sent or queued: a server closes the stream on a stanza over its limit, and a queued one would be sent
/// again on every new session, locking the client out for good. Send something smaller instead.
/// </summary>
public sealed class XmppStanzaTooLargeException(long size, int limit)
    : XmppException($"The stanza is {size:N0} bytes; the most this client sends is {limit:N0} (XmppClientOptions.MaxOutboundStanzaBytes, below the server's limit). It was not sent.")
{
    /// <summary>The stanza's size in UTF-8 bytes.</summary>
    public long Size { get; } = size;

    /// <summary>The configured limit.</summary>
    public int Limit { get; } = limit;
}
