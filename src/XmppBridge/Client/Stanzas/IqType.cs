namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>IQ types (RFC 6120 §8.2.3).</summary>
public enum IqType
{
    /// <summary>A request for information.</summary>
    Get,

    /// <summary>A request to change something.</summary>
    Set,

    /// <summary>A successful response.</summary>
    Result,

    /// <summary>A failed response.</summary>
    Error,
}
