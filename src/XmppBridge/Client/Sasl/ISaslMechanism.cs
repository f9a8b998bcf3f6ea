namespace Actors.XmppBridge.Client.Sasl;

/// <summary>One SASL mechanism run by the client (RFC 6120 §6).</summary>
internal interface ISaslMechanism
{
    /// <summary>The IANA mechanism name, e.g. <c>SCRAM-SHA-256</c>.</summary>
    string Name { get; }

    /// <summary>The initial response sent in <c>&lt;auth/&gt;</c>.</summary>
    byte[] InitialResponse();

    /// <summary>Answers a server challenge.</summary>
    /// <exception cref="XmppAuthenticationException">The challenge is malformed or fails verification.</exception>
    byte[] Respond(ReadOnlySpan<byte> challenge);

    /// <summary>Checks the additional data of <c>&lt;success/&gt;</c> (the SCRAM server signature).</summary>
    /// <exception cref="XmppAuthenticationException">The server could not prove it knows the password.</exception>
    void Complete(ReadOnlySpan<byte> additionalData);
}
