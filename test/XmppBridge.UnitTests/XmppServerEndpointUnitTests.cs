using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests;

public sealed class XmppServerEndpointUnitTests
{
    [Theory]
    [InlineData("xmpp1.example.org:5223", "xmpp1.example.org", 5223)]
    [InlineData("127.0.0.1:15222", "127.0.0.1", 15222)]
    [InlineData(" xmpp.example.org ", "xmpp.example.org", 5222)]
    [InlineData("[::1]:5300", "::1", 5300)]
    [InlineData("[::1]", "::1", 5222)]
    public void TryParse_HostAndPort_Parses(string text, string host, int port)
    {
        XmppServerEndpoint.TryParse(text, out var endpoint).Should().BeTrue();
        endpoint.Should().Be(new XmppServerEndpoint(host, port));
        XmppServerEndpoint.Parse(endpoint!.ToString()).Should().Be(endpoint, "ToString round-trips");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(":5222")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("host:52x")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[::1]5222")]
    [InlineData("a host:5222")]
    public void TryParse_Malformed_Refuses(string? text)
    {
        XmppServerEndpoint.TryParse(text, out _).Should().BeFalse();
        var parse = () => XmppServerEndpoint.Parse(text!);
        parse.Should().Throw<FormatException>();
    }

    [Fact]
    public void ResolveServers_NoList_IsHostAndPortElseTheDomain()
    {
        var options = new XmppClientOptions { Jid = Jid.Parse("a@example.org"), Password = "p" };
        options.ResolveServers().Should().Equal(new XmppServerEndpoint("example.org", 5222));
        options.Host = "10.0.0.5";
        options.Port = 5999;
        options.ResolveServers().Should().Equal(new XmppServerEndpoint("10.0.0.5", 5999));
        options.Servers.Add(new XmppServerEndpoint("x1", 1));
        options.Servers.Add(new XmppServerEndpoint("x2", 2));
        options.ResolveServers().Should().Equal(new XmppServerEndpoint("x1", 1), new XmppServerEndpoint("x2", 2));
    }

    [Fact]
    public void FirstServerIndex_ManyResourcesOfOneAccount_SpreadOverEveryServerAndStayPut()
    {
        var counts = new int[3];
        for (var i = 0; i < 300; i++)
        {
            var jid = Jid.Parse($"silo@example.org/silo-{i}");
            var index = XmppClient.FirstServerIndex(jid, 3);
            XmppClient.FirstServerIndex(jid, 3).Should().Be(index, "a restarted node returns to the same server");
            counts[index]++;
        }

        counts.Should().OnlyContain(c => c > 60, "300 JIDs over 3 servers: roughly 100 each");
        XmppClient.FirstServerIndex(Jid.Parse("silo@example.org/silo-1"), 1).Should().Be(0);
    }
}
