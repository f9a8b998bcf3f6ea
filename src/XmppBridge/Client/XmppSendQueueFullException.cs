namespace Actors.XmppBridge.Client;

/// <summary>
/// <see cref="XmppClient.SendAsync"/> was called while the client is reconnecting and
/// <see cref="Options.XmppClientOptions.MaxQueuedStanzas"/> stanzas are already held for delivery. Nothing was
/// queued; retry after the client reports <see cref="XmppConnectionState.Connected"/>.
/// </summary>
public sealed class XmppSendQueueFullException(int limit)
    : XmppException($"The XMPP client is reconnecting and already holds {limit} unacknowledged stanzas (XmppClientOptions.MaxQueuedStanzas); the stanza was not queued.")
{
    /// <summary>The configured limit that was reached.</summary>
    public int Limit { get; } = limit;
}
