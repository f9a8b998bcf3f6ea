namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>The <c>type</c> of a stanza error (RFC 6120 §8.3.2): what the sender should do next.</summary>
public enum StanzaErrorType
{
    /// <summary>Do not retry (unrecoverable).</summary>
    Cancel,

    /// <summary>Proceed; the condition was only a warning.</summary>
    Continue,

    /// <summary>Retry after changing the data sent.</summary>
    Modify,

    /// <summary>Retry after providing credentials.</summary>
    Auth,

    /// <summary>Retry after waiting (temporary).</summary>
    Wait,
}
