using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// A reply too large for one stanza never locks a silo out of XMPP (docs/security.md): a 300 KB document read by IQ is
/// refused with not-acceptable pointing to HTTP, read by chat gets a short explanation, the silo keeps answering, and
/// the client refuses to send (or queue) any stanza over its limit. Real Prosody (256 KiB stanza limit) and silos.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class OversizedReplyTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly XNamespace Actors = "urn:actors:1";

    [Fact]
    public async Task ReadOf300KbDocument_IqIsNotAcceptable_ChatExplains_AndTheSiloStillAnswers()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = WriteStanzas.UniqueRoot();
        var big = $$"""{"blob":"{{new string('x', 300_000)}}"}""";
        (await cluster.Grains.GetRoot(RootId.Parse(root)).WriteAsync(WriteCommand.Put("big-1", big))).Error.Should().BeNull();
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "big", cancellationToken: ct);
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "big", cancellationToken: ct);

        var read = async () => await reader.Client.SendIqAsync(new Iq(IqType.Get, new XElement(Actors + "read", new XAttribute("root", root)), cluster.SiloA), ct);
        var refused = (await read.Should().ThrowAsync<XmppStanzaException>()).Which.Error;
        var chat = await ops.ChatAsync(cluster.SiloA, $"get {root}", cancellationToken: ct);
        var afterwards = await ops.ChatAsync(cluster.SiloA, "help", cancellationToken: ct);

        TestOutput.Record("iq read of 300 KB", refused.Text ?? "");
        TestOutput.Record("chat get of 300 KB", chat);
        refused.Condition.Should().Be("not-acceptable");
        refused.Text.Should().Contain($"GET /v1/roots/{root}");
        chat.Should().Contain("too large for one XMPP message").And.Contain("GET /v1/roots/");
        afterwards.Should().Contain("help", "the silo's session survived: it never sent the oversized stanza");
    }

    [Fact]
    public async Task Client_OversizedStanza_IsRefusedBeforeQueueing_AndTheSessionGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "big-send", cancellationToken: ct);
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "big-recv", cancellationToken: ct);
        var mark = reader.Mark;

        var send = () => app.Client.SendAsync(new Message(reader.Jid, new string('y', 300_000)), ct);
        var tooLarge = (await send.Should().ThrowAsync<XmppStanzaTooLargeException>()).Which;
        await app.Client.SendAsync(new Message(reader.Jid, "small after big"), ct);

        tooLarge.Size.Should().BeGreaterThan(300_000);
        tooLarge.Limit.Should().Be(250_000);
        var received = await reader.WaitForAsync<Message>(m => m.From == app.Jid && m.Body is not null, mark, cancellationToken: ct);
        received.Body.Should().Be("small after big", "the oversized stanza was neither sent nor queued, and the stream stayed open");
        app.Client.State.Should().Be(XmppConnectionState.Connected);
    }
}
