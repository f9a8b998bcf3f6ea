namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>The <c>&lt;show/&gt;</c> of available presence (RFC 6121 §4.7.2.1).</summary>
public enum PresenceShow
{
    /// <summary>No show element: plainly available.</summary>
    None,

    /// <summary>Temporarily away.</summary>
    Away,

    /// <summary>Interested in chatting.</summary>
    Chat,

    /// <summary>Do not disturb.</summary>
    Dnd,

    /// <summary>Away for an extended period.</summary>
    Xa,
}
