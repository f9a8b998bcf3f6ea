using System.Xml.Linq;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>Scenarios run unchanged against every server, so the client is not shaped to one of them.</summary>
internal static class XmppScenarios
{
    public const string EchoNs = "urn:actors:test:echo";

    public static async Task LoginAsync(IXmppTestServer server, string user, string password, CancellationToken ct)
    {
        await using var client = await TestClient.ConnectAsync(server, user, password, ct);

        client.Client.State.Should().Be(XmppConnectionState.Connected);
        client.FullJid.Bare.Should().Be(client.Jid);
        client.FullJid.Resource.Should().Be("test");
        client.Client.IsStreamManagementEnabled.Should().BeTrue();
        (await client.Client.GetRosterAsync(ct)).Should().BeEmpty();
    }

    public static async Task PresenceWithApprovedSubscriptionAsync(TestClient alice, TestClient bob, CancellationToken ct)
    {
        await alice.Client.SetPresenceAsync(cancellationToken: ct);
        await bob.Client.SetPresenceAsync(PresenceShow.Dnd, "degraded", new XElement(XName.Get("silo", "urn:actors:1"), new XAttribute("name", "bob-silo")), ct);

        await alice.Client.SubscribeAsync(bob.Jid, ct);
        var request = await bob.NextSubscriptionRequestAsync(ct);
        request.From!.Bare.Should().Be(alice.Jid);
        await bob.Client.ApproveSubscriptionAsync(request.From, ct);

        await alice.NextPresenceAsync(p => p.Type == PresenceType.Subscribed && p.From?.Bare == bob.Jid, ct);
        var seen = await alice.NextPresenceAsync(p => p.Type == PresenceType.Available && p.From?.Bare == bob.Jid, ct);
        seen.Show.Should().Be(PresenceShow.Dnd);
        seen.Status.Should().Be("degraded");
        ((string?)seen.Element.Element(XName.Get("silo", "urn:actors:1"))?.Attribute("name")).Should().Be("bob-silo");

        var roster = await alice.Client.GetRosterAsync(ct);
        roster.Should().ContainSingle(i => i.Jid == bob.Jid).Which.Subscription.Should().BeOneOf("to", "both");
    }

    public static async Task MessageWithReceiptAsync(TestClient alice, TestClient bob, CancellationToken ct)
    {
        bob.Client.MessageReceived += async (_, m) =>
        {
            if (m.ReceiptRequested && m.Id is not null)
            {
                await bob.Client.SendAsync(m.CreateReceipt(), CancellationToken.None);
            }
        };

        var message = new Message(bob.FullJid, "hello <bob> & \"friends\" 😀") { Id = "w-42", ReceiptRequested = true, OriginId = "origin-42" };
        await alice.Client.SendAsync(message, ct);

        var received = await bob.NextMessageAsync(m => m.Body is not null, ct);
        received.Body.Should().Be("hello <bob> & \"friends\" 😀");
        received.From.Should().Be(alice.FullJid);
        received.OriginId.Should().Be("origin-42");
        var receipt = await alice.NextMessageAsync(m => m.ReceiptFor is not null, ct);
        receipt.ReceiptFor.Should().Be("w-42");
        receipt.From.Should().Be(bob.FullJid);
    }

    public static async Task IqRoundTripAsync(TestClient alice, TestClient bob, CancellationToken ct)
    {
        bob.Client.RegisterIqHandler(EchoNs, (iq, _) =>
            Task.FromResult(iq.CreateResult(new XElement(XName.Get("echo", EchoNs), new XAttribute("v", (string?)iq.Payload!.Attribute("v") + "!")))));

        var result = await alice.Client.SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("echo", EchoNs), new XAttribute("v", "ping")), bob.FullJid), ct);
        ((string?)result.Payload?.Attribute("v")).Should().Be("ping!");

        var unhandled = () => alice.Client.SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("nothing", "urn:actors:test:none")), bob.FullJid), ct);
        (await unhandled.Should().ThrowAsync<XmppStanzaException>()).Which.Error.Condition.Should().Be("service-unavailable");

        var disco = await alice.Client.SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("query", "http://jabber.org/protocol/disco#info")), bob.FullJid), ct);
        disco.Payload!.Elements().Select(e => (string?)e.Attribute("var")).Should().Contain(["urn:xmpp:ping", "urn:xmpp:receipts", "urn:xmpp:sid:0"]);
    }
}
