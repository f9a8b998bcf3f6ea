namespace Actors.XmppBridge.Client;

/// <summary>Where an <see cref="XmppClient"/> is in its lifecycle.</summary>
public enum XmppConnectionState
{
    /// <summary>Not connected and not trying to.</summary>
    Disconnected,

    /// <summary>The first connection is being made.</summary>
    Connecting,

    /// <summary>A session is established (fresh or resumed).</summary>
    Connected,

    /// <summary>The connection dropped; the client is reconnecting with backoff.</summary>
    Reconnecting,

    /// <summary>Shutting down.</summary>
    Disconnecting,
}
