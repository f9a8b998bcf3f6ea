using System.Globalization;
using System.Xml.Linq;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>Our client against python3-slixmpp through Prosody: presence, a message with receipts both ways, IQs both ways.</summary>
public sealed class SlixmppInteropTests(ProsodyFixture prosody) : IClassFixture<ProsodyFixture>
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "scripts", "interop_peer.py");

    private static async Task WaitLineAsync(Actors.TestInfrastructure.Processes.ManagedProcess peer, string line, CancellationToken ct)
    {
        try
        {
            await peer.WaitForOutputAsync(l => l == line, TestClient.Timeout, ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"slixmpp did not print '{line}'. Its output:\n{peer.RecentOutput}", ex);
        }
    }

    [Fact]
    public async Task Interop_SlixmppPeer_ExchangesPresenceMessageWithReceiptAndIq()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = prosody.Server;
        var (us, usPw) = await prosody.NewUserAsync("dotnet", ct);
        var (slix, slixPw) = await prosody.NewUserAsync("slix", ct);
        await using var client = await TestClient.ConnectAsync(server, us, usPw, ct);
        client.Client.RegisterIqHandler(XmppScenarios.EchoNs, (iq, _) =>
            Task.FromResult(iq.CreateResult(new XElement(XName.Get("echo", XmppScenarios.EchoNs), new XAttribute("v", (string?)iq.Payload!.Attribute("v") + "!")))));
        client.Client.MessageReceived += async (_, m) =>
        {
            if (m.ReceiptRequested && m.Id is not null)
            {
                await client.Client.SendAsync(m.CreateReceipt(), CancellationToken.None);
            }
        };

        await using var peer = await SlixmppScript.StartAsync(Script,
            [$"{slix}@{server.Domain}/py", slixPw, server.Host, server.Port.ToString(CultureInfo.InvariantCulture), server.CertificatePath!, client.Jid.ToString(), "--timeout", "40"], ct);
        await WaitLineAsync(peer, "READY", ct);
        var slixJid = Jid.Parse($"{slix}@{server.Domain}");

        // Presence: we subscribe, slixmpp approves and subscribes back, we approve; both see the other.
        await client.Client.SetPresenceAsync(PresenceShow.Chat, "dotnet here", cancellationToken: ct);
        await client.Client.SubscribeAsync(slixJid, ct);
        var request = await client.NextSubscriptionRequestAsync(ct);
        await client.Client.ApproveSubscriptionAsync(request.From!, ct);
        var slixPresence = await client.NextPresenceAsync(p => p.From?.Bare == slixJid && p.Type == PresenceType.Available, ct);
        slixPresence.Status.Should().Be("slixmpp here");
        await WaitLineAsync(peer, "PRESENCE dotnet here", ct);

        // Message with receipt: slixmpp's XEP-0184 plugin acknowledges ours; it replies with its own request, which we answer.
        await client.Client.SendAsync(new Message(slixPresence.From!, "hello slixmpp") { Id = "m-1", ReceiptRequested = true }, ct);
        (await client.NextMessageAsync(m => m.ReceiptFor is not null, ct)).ReceiptFor.Should().Be("m-1");
        await WaitLineAsync(peer, "MESSAGE hello slixmpp", ct);
        (await client.NextMessageAsync(m => m.Body is not null, ct)).Body.Should().Be("pong:hello slixmpp");
        await WaitLineAsync(peer, "RECEIPT slix-reply-1", ct);

        // IQ both ways.
        var result = await client.Client.SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("echo", XmppScenarios.EchoNs), new XAttribute("v", "from-dotnet")), slixPresence.From), ct);
        ((string?)result.Payload?.Attribute("v")).Should().Be("from-dotnet!");
        await WaitLineAsync(peer, "IQ-RESULT from-slixmpp!", ct);

        await WaitLineAsync(peer, "DONE", ct);
        (await peer.WaitForExitAsync(TestClient.Timeout, ct)).Should().BeTrue();
        peer.ExitCode.Should().Be(0, peer.RecentOutput);
    }
}
