using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Sasl;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests;

public sealed class XmppClientUnitTests
{
    [Fact]
    public async Task BackoffDelay_GrowsExponentiallyWithJitterUpToMax()
    {
        await using var client = new XmppClient(new XmppClientOptions
        {
            Jid = Jid.Parse("a@example.org"),
            Password = "p",
            ReconnectMinDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(8),
        });

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var ceiling = Math.Min(8, Math.Pow(2, attempt));
            var delay = client.BackoffDelay(attempt).TotalSeconds;
            delay.Should().BeInRange(ceiling / 2, ceiling);
        }
    }

    [Theory]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256" }, true, "SCRAM-SHA-256")]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-1" }, true, "SCRAM-SHA-1")]
    [InlineData(new[] { "PLAIN" }, true, "PLAIN")]
    [InlineData(new[] { "PLAIN" }, false, null)]
    [InlineData(new[] { "DIGEST-MD5", "SCRAM-SHA-1-PLUS" }, true, null)]
    public void SelectMechanism_PicksStrongestAllowed(string[] offered, bool plainAllowed, string? expected)
    {
        XmppConnection.SelectMechanism(offered.ToHashSet(), plainAllowed, "u", "p")?.Name.Should().Be(expected);
        if (expected is null)
        {
            XmppConnection.SelectMechanism(offered.ToHashSet(), plainAllowed, "u", "p").Should().BeNull();
        }
    }

    [Fact]
    public async Task SendAsync_NeverConnected_Throws()
    {
        await using var client = new XmppClient(new XmppClientOptions { Jid = Jid.Parse("a@example.org"), Password = "p" });
        var act = () => client.SendAsync(new Message(Jid.Parse("b@example.org"), "hi"), TestContext.Current.CancellationToken);
        await act.Should().ThrowAsync<XmppException>();
    }

    [Fact]
    public void Jid_Parse_SplitsParts()
    {
        var jid = Jid.Parse("User@Example.ORG/res/with/slash");
        jid.Local.Should().Be("User");
        jid.Domain.Should().Be("example.org");
        jid.Resource.Should().Be("res/with/slash");
        jid.Bare.ToString().Should().Be("User@example.org");
        Jid.TryParse("@example.org", out _).Should().BeFalse();
        Jid.TryParse("a@b@c", out _).Should().BeFalse();
        Jid.TryParse("a@example.org/", out _).Should().BeFalse();
    }

    [Fact]
    public void Message_CreateReceipt_EchoesIdToSender()
    {
        var message = new Message(Jid.Parse("b@example.org"), "hi") { Id = "w-42", From = Jid.Parse("a@example.org/r"), ReceiptRequested = true, OriginId = "o-1" };
        var receipt = message.CreateReceipt();
        receipt.To.Should().Be(Jid.Parse("a@example.org/r"));
        receipt.ReceiptFor.Should().Be("w-42");
        message.OriginId.Should().Be("o-1");
        message.ToString().Should().Contain("<request xmlns=\"urn:xmpp:receipts\"/>").And.Contain("<origin-id xmlns=\"urn:xmpp:sid:0\" id=\"o-1\"/>");
    }
}
