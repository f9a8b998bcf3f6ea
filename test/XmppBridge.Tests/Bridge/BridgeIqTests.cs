using System.Xml.Linq;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

public abstract class BridgeIqTests(BridgeClusterFixture cluster)
{
    private static readonly XNamespace Actors = "urn:actors:1";

    [Fact]
    public async Task IqWriteThenRead_WrittenAndDocumentWithPointer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "iq", cancellationToken: ct);
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "iq", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();

        var written = await app.Client.SendIqAsync(new Iq(IqType.Set,
            new XElement(Actors + "write", new XAttribute("root", root), new XAttribute("op", "put"), """{"title":"Hi","tags":["a"]}"""),
            cluster.SiloB) { Id = "iq-w-1" }, ct);
        var whole = await reader.Client.SendIqAsync(new Iq(IqType.Get, new XElement(Actors + "read", new XAttribute("root", root)), cluster.SiloA), ct);
        var part = await reader.Client.SendIqAsync(new Iq(IqType.Get, new XElement(Actors + "read", new XAttribute("root", root), new XAttribute("path", "/tags/0")), cluster.SiloA), ct);

        TestOutput.Record("iq written", written.ToString());
        TestOutput.Record("iq document", whole.ToString());
        var result = written.Payload!;
        result.Name.Should().Be(Actors + "written");
        ((string?)result.Attribute("version")).Should().Be("1");
        whole.Payload!.Name.Should().Be(Actors + "document");
        ((string?)whole.Payload.Attribute("version")).Should().Be("1");
        whole.Payload.Value.Should().Be("""{"title":"Hi","tags":["a"]}""");
        part.Payload!.Value.Should().Be("\"a\"");
    }

    [Fact]
    public async Task IqReadAbsentRoot_ItemNotFound_AndNonReaderForbidden()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "iq2", cancellationToken: ct);
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "iq2", cancellationToken: ct);
        var read = new XElement(Actors + "read", new XAttribute("root", WriteStanzas.UniqueRoot()));

        var absent = async () => await reader.Client.SendIqAsync(new Iq(IqType.Get, new XElement(read), cluster.SiloA), ct);
        var forbidden = async () => await eve.Client.SendIqAsync(new Iq(IqType.Get, new XElement(read), cluster.SiloA), ct);

        (await absent.Should().ThrowAsync<XmppStanzaException>()).Which.Error.Condition.Should().Be("item-not-found");
        (await forbidden.Should().ThrowAsync<XmppStanzaException>()).Which.Error.Condition.Should().Be("forbidden");
    }

    [Fact]
    public async Task DiscoInfo_AdvertisesStoreFeatures_AndPingAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "disco", cancellationToken: ct);
        XNamespace disco = "http://jabber.org/protocol/disco#info";

        var info = await ops.Client.SendIqAsync(new Iq(IqType.Get, new XElement(disco + "query"), cluster.SiloA), ct);
        await ops.Client.PingAsync(cluster.SiloA, ct);

        info.Payload!.Elements(disco + "feature").Select(f => (string?)f.Attribute("var"))
            .Should().Contain(["urn:actors:1", "urn:xmpp:receipts", "urn:xmpp:ping", "urn:xmpp:sid:0", "http://jabber.org/protocol/rsm"]);
    }
}
