namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>Presence types (RFC 6121 §4.7.1); <see cref="Available"/> is the absent attribute.</summary>
public enum PresenceType
{
    /// <summary>No type: the sender is online.</summary>
    Available,

    /// <summary>The sender went offline.</summary>
    Unavailable,

    /// <summary>A request to see the recipient's presence.</summary>
    Subscribe,

    /// <summary>The recipient approved a subscription request.</summary>
    Subscribed,

    /// <summary>A request to stop seeing the recipient's presence.</summary>
    Unsubscribe,

    /// <summary>A subscription was denied or cancelled.</summary>
    Unsubscribed,

    /// <summary>A request for the current presence (servers send it; clients rarely need to).</summary>
    Probe,

    /// <summary>An error about a presence we sent.</summary>
    Error,
}
