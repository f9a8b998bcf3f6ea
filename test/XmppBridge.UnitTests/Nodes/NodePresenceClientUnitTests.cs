using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.XmppBridge.UnitTests.Nodes;

/// <summary>
/// The Jabber session shared by the agent and the gateway (DESIGN §9), as far as it goes without a server: the JID's
/// resource from the node's name, the options → client settings mapping, the settings' binding and redaction.
/// </summary>
public sealed class NodePresenceClientUnitTests
{
    [Theory]
    [InlineData("box-1", "box-1")]
    [InlineData("build box #3", "buildbox3")]
    [InlineData("gw_1.example.org", "gw_1.example.org")]
    [InlineData("a/b@c:d", "abcd")]
    [InlineData("Müller", "Müller")]
    public void ResourceOf_Name_KeepsLettersDigitsDashUnderscoreDot(string name, string resource) =>
        NodePresenceClient.ResourceOf(name, "agent").Should().Be(resource);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/@:#!")]
    public void ResourceOf_NothingLeft_IsTheFallback(string name) =>
        NodePresenceClient.ResourceOf(name, "gateway").Should().Be("gateway");

    [Fact]
    public void JidOf_ConfiguredJidWithAResource_TakesTheBareJidAndTheNodesName()
    {
        var options = new TestNodeOptions { Jid = "gateway@example.org/configured" };

        NodePresenceClient.JidOf(options, "gw 1", "gateway").Should().Be(Jid.Parse("gateway@example.org/gw1"));
    }

    [Fact]
    public void ClientOptions_ConnectionSettings_AreCopied()
    {
        var options = new TestNodeOptions
        {
            Jid = "agent@example.org",
            Password = "hunter2-secret",
            Host = "xmpp.example.org",
            Port = 5223,
            AllowPlaintextOnLoopback = true,
        };
        var jid = Jid.Parse("agent@example.org/box");

        var client = NodePresenceClient.ClientOptions(options, jid, "Actors agent on box");

        client.Jid.Should().Be(jid);
        client.Password.Should().Be("hunter2-secret");
        client.Host.Should().Be("xmpp.example.org");
        client.Port.Should().Be(5223);
        client.AllowPlaintextOnLoopback.Should().BeTrue();
        client.TrustedCertificate.Should().BeNull();
        client.Servers.Should().BeEmpty();
        client.DiscoIdentityName.Should().Be("Actors agent on box");
        client.DiscoFeatures.Should().Equal(ActorsXml.Namespace);
    }

    [Fact]
    public void ClientOptions_Servers_AreParsedInOrder()
    {
        var options = new TestNodeOptions { Jid = "gateway@example.org", Password = "p" };
        options.Servers.Add("xmpp2.example.org:5222");
        options.Servers.Add("127.0.0.1:25222");

        var client = NodePresenceClient.ClientOptions(options, Jid.Parse("gateway@example.org/gw"), "Actors gateway gw");

        client.Servers.Should().Equal(new XmppServerEndpoint("xmpp2.example.org", 5222), new XmppServerEndpoint("127.0.0.1", 25222));
    }

    [Fact]
    public void ClientOptions_TrustedCertificatePath_LoadsThePem()
    {
        using var directory = TempDirectory.Create("node-presence");
        using var key = ECDsa.Create();
        using var certificate = new CertificateRequest("CN=example.org", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var path = directory.Combine("server.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        var options = new TestNodeOptions { Jid = "agent@example.org", Password = "p", TrustedCertificatePath = path };

        var client = NodePresenceClient.ClientOptions(options, Jid.Parse("agent@example.org/box"), "Actors agent on box");

        client.TrustedCertificate.Should().NotBeNull();
        client.TrustedCertificate!.Thumbprint.Should().Be(certificate.Thumbprint);
    }

    [Fact]
    public void Bind_DerivedOptions_BindTheSharedSettingsUnderTheNodesSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Node:Xmpp:Jid"] = "gateway@example.org",
            ["Node:Xmpp:Password"] = "p",
            ["Node:Xmpp:Host"] = "xmpp.example.org",
            ["Node:Xmpp:Port"] = "5223",
            ["Node:Xmpp:Servers:0"] = "xmpp1.example.org:5222",
            ["Node:Xmpp:TrustedCertificatePath"] = "/etc/xmpp.pem",
            ["Node:Xmpp:AllowPlaintextOnLoopback"] = "true",
            ["Node:Xmpp:Watchers:0"] = "ops@example.org",
            ["Node:Xmpp:Name"] = "gw-1",
        }).Build();
        var options = new TestNodeOptions();

        configuration.GetSection("Node:Xmpp").Bind(options);

        options.Jid.Should().Be("gateway@example.org");
        options.Password.Should().Be("p");
        options.Host.Should().Be("xmpp.example.org");
        options.Port.Should().Be(5223);
        options.Servers.Should().Equal("xmpp1.example.org:5222");
        options.TrustedCertificatePath.Should().Be("/etc/xmpp.pem");
        options.AllowPlaintextOnLoopback.Should().BeTrue();
        options.Watchers.Should().Equal("ops@example.org");
        options.Name.Should().Be("gw-1");
    }

    [Fact]
    public void Format_DerivedOptions_PasswordRedacted()
    {
        var options = new TestNodeOptions { Jid = "agent@example.org", Password = "hunter2-secret", Name = "box" };

        var text = OptionsFormatter.Format(options);

        text.Should().NotContain("hunter2-secret").And.Contain("Password=***").And.Contain("Jid=agent@example.org").And.Contain("Name=box");
    }

    [Fact]
    public async Task PublishAsync_NotConnected_Throws()
    {
        await using var presence = new NodePresenceClient(
            new TestNodeOptions { Jid = "agent@example.org", Password = "p" },
            Jid.Parse("agent@example.org/box"),
            "Actors agent on box",
            new RoleSet([], [], [], [], "example.org"),
            NullLoggerFactory.Instance);

        presence.Client.Should().BeNull();
        var publish = () => presence.PublishAsync(PresenceShow.None, "ok", new AgentPayload("box", null, null, null, 0, 0).ToElement(), TestContext.Current.CancellationToken);

        await publish.Should().ThrowAsync<InvalidOperationException>();
    }

    /// <summary>A node's options as the agent's and the gateway's are: the shared settings and one of its own.</summary>
    private sealed class TestNodeOptions : NodeXmppOptions
    {
        public string? Name { get; set; }
    }
}
