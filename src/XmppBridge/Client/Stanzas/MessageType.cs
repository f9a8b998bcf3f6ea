namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>Message types (RFC 6121 §5.2.2).</summary>
public enum MessageType
{
    /// <summary>No type attribute or <c>normal</c>.</summary>
    Normal,

    /// <summary>One-to-one chat.</summary>
    Chat,

    /// <summary>Multi-user chat.</summary>
    GroupChat,

    /// <summary>An alert that expects no reply.</summary>
    Headline,

    /// <summary>An error about a message we sent.</summary>
    Error,
}
