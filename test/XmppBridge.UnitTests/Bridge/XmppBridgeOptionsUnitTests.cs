using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Contracts.Hosting;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>What the bridge logs of its settings at start: everything that helps an operator, never a password.</summary>
public sealed class XmppBridgeOptionsUnitTests
{
    [Fact]
    public void ForLog_BridgeOptions_PasswordRedactedRolesListed()
    {
        var options = new XmppBridgeOptions { Jid = "silo@example.org", Password = "hunter2-secret", Port = 5223 };
        options.Writers.Add("app@example.org");
        options.Operators.Add("*@ops.example.org");

        var text = OptionsFormatter.ForLog(options).ToString();

        text.Should().NotContain("hunter2-secret")
            .And.Contain("Password=***")
            .And.Contain("Jid=silo@example.org")
            .And.Contain("Port=5223")
            .And.Contain("Writers=[app@example.org]")
            .And.Contain("Operators=[*@ops.example.org]");
    }

    [Fact]
    public void ForLog_ClientOptions_PasswordRedactedCertificateByThumbprint()
    {
        using var key = ECDsa.Create();
        using var certificate = new CertificateRequest("CN=example.org", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var options = new XmppClientOptions { Jid = Jid.Parse("app@example.org/w"), Password = "hunter2-secret", TrustedCertificate = certificate };

        var text = OptionsFormatter.Format(options);

        text.Should().NotContain("hunter2-secret").And.Contain("Password=***").And.Contain($"TrustedCertificate={certificate.Thumbprint}").And.NotContain("\n");
    }

    [Fact]
    public void Validate_Servers_EachMustBeHostAndPort()
    {
        var options = new XmppBridgeOptions { Jid = "silo@example.org", Password = "p" };
        options.Servers.Add("xmpp1.example.org:5222");
        options.Servers.Add("127.0.0.1:25222");
        new XmppBridgeOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();

        options.Servers.Add("xmpp3.example.org:99999");
        var result = new XmppBridgeOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Actors:Xmpp:Servers entry 'xmpp3.example.org:99999'");
        OptionsFormatter.ForLog(options).ToString().Should().Contain("Servers=[xmpp1.example.org:5222, 127.0.0.1:25222, xmpp3.example.org:99999]");
    }

    [Fact]
    public void Validate_Silos_AccountsAndPrefixesPass_AWholeDomainFails()
    {
        var options = new XmppBridgeOptions { Jid = "silo-1@example.org", Password = "p" };
        options.Silos.Add("silo-*@example.org");
        options.Silos.Add("legacy@example.org");
        new XmppBridgeOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();

        options.Silos.Add("*@example.org");
        var result = new XmppBridgeOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Actors:Xmpp:Silos: '*@example.org' would trust every account of example.org");
    }
}
