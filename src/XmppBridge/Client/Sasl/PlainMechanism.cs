using System.Text;

namespace Actors.XmppBridge.Client.Sasl;

/// <summary>SASL PLAIN (RFC 4616): the password in clear, so only over TLS or an allowed loopback.</summary>
internal sealed class PlainMechanism(string user, string password) : ISaslMechanism
{
    public string Name => "PLAIN";

    public byte[] InitialResponse() => Encoding.UTF8.GetBytes("\0" + user + "\0" + password);

    public byte[] Respond(ReadOnlySpan<byte> challenge) =>
        throw new XmppAuthenticationException("malformed-request", "PLAIN does not expect a challenge.");

    public void Complete(ReadOnlySpan<byte> additionalData)
    {
    }
}
