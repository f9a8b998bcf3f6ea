namespace Actors.TestInfrastructure.Xmpp;

/// <summary>How clients reach a test XMPP server.</summary>
public enum XmppSecurity
{
    /// <summary>STARTTLS required, with a self-signed certificate clients must trust explicitly.</summary>
    StartTls,

    /// <summary>No TLS at all; PLAIN allowed unencrypted. Loopback only.</summary>
    Plaintext,
}
