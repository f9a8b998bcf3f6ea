using System.Security.Cryptography;
using System.Text;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Sasl;

namespace Actors.XmppBridge.UnitTests.Sasl;

public sealed class ScramMechanismUnitTests
{
    [Fact]
    public void ScramSha1_Rfc5802Example_ProducesTheRfcMessages()
    {
        // RFC 5802 §5: user "user", password "pencil".
        var scram = new ScramMechanism(HashAlgorithmName.SHA1, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
        Text(scram.InitialResponse()).Should().Be("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        var final = scram.Respond(Bytes("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        Text(final).Should().Be("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        scram.Invoking(s => s.Complete(Bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="))).Should().NotThrow();
        scram.Name.Should().Be("SCRAM-SHA-1");
    }

    [Fact]
    public void ScramSha256_Rfc7677Example_ProducesTheRfcMessages()
    {
        // RFC 7677 §3: user "user", password "pencil".
        var scram = new ScramMechanism(HashAlgorithmName.SHA256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        Text(scram.InitialResponse()).Should().Be("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        var final = scram.Respond(Bytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Text(final).Should().Be("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        scram.Invoking(s => s.Complete(Bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).Should().NotThrow();
        scram.Name.Should().Be("SCRAM-SHA-256");
    }

    [Fact]
    public void Complete_WrongServerSignature_FailsAuthentication()
    {
        var scram = new ScramMechanism(HashAlgorithmName.SHA256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        scram.InitialResponse();
        scram.Respond(Bytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        scram.Invoking(s => s.Complete(Bytes("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).Should().Throw<XmppAuthenticationException>();
    }

    [Theory]
    [InlineData("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=999999999")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=!!!,i=4096")]
    [InlineData("m=ext,r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4096")]
    public void Respond_HostileServerFirst_FailsAuthentication(string serverFirst)
    {
        var scram = new ScramMechanism(HashAlgorithmName.SHA1, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
        scram.InitialResponse();
        scram.Invoking(s => s.Respond(Bytes(serverFirst))).Should().Throw<XmppAuthenticationException>();
    }

    [Fact]
    public void InitialResponse_UserNameWithCommaAndEquals_IsEscaped()
    {
        var scram = new ScramMechanism(HashAlgorithmName.SHA1, "a,b=c", "p", "n");
        Text(scram.InitialResponse()).Should().Be("n,,n=a=2Cb=3Dc,r=n");
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);
}
