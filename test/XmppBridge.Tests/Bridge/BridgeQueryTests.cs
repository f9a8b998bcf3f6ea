using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>Queries over XMPP (docs/queries.md, XMPP): the IQ &lt;query/&gt; with RSM paging, chat find and indexes, from our client and slixmpp.</summary>
public abstract class BridgeQueryTests(BridgeClusterFixture cluster)
{
    private static readonly XNamespace Actors = "urn:actors:1";
    private static readonly XNamespace Rsm = "http://jabber.org/protocol/rsm";

    private static string UniqueType() => "q" + Guid.NewGuid().ToString("N")[..10];

    private async Task<List<string>> CreateRootsAsync(string type, int count, Func<int, string> document)
    {
        var roots = Enumerable.Range(0, count).Select(i => $"{type}/r{i:D3}").ToList();
        for (var i = 0; i < count; i++)
        {
            var result = await cluster.Grains.GetRoot(RootId.Parse(roots[i])).WriteAsync(WriteCommand.Put($"seed-{i}", document(i)));
            result.Succeeded.Should().BeTrue(result.Error?.Message);
        }
        return roots;
    }

    private async Task DeclareReadyAsync(string type, string name, string pointer, CancellationToken ct)
    {
        var declared = await cluster.Grains.GetIndex(type, name).DeclareAsync(pointer);
        declared.Error.Should().BeNull();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while ((await cluster.Grains.GetIndex(type, name).GetAsync()).Index!.State != IndexState.Ready)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    [Fact]
    public async Task IqQuery_PagesWithRsm_UntilNoLast_SeeingEveryRootOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var type = UniqueType();
        var roots = await CreateRootsAsync(type, 7, i => $$"""{"n":{{i}}}""");
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "query", cancellationToken: ct);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var query = new QueryPayload(new RootQuery(type, Limit: 3, After: after)).ToElement();
            var result = await reader.Client.SendIqAsync(new Iq(IqType.Get, query, cluster.SiloA), ct);
            QueryResultPayload.TryParse(result.Payload, out var page).Should().BeTrue(result.ToString());
            seen.AddRange(page!.Page.Items.Select(item => item.Root));
            after = page.Page.Next;
            pages++;
            TestOutput.Record($"iq query page {pages}", result.ToString());
        }
        while (after is not null && pages < 10);

        seen.Should().Equal(roots, "a list is in root-id order, every root once");
        pages.Should().BeInRange(3, 4);
    }

    [Fact]
    public async Task IqQuery_OnIndexWithDocuments_AndErrorsAsStanzaErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        var type = UniqueType();
        await CreateRootsAsync(type, 4, i => $$"""{"status":"{{(i % 2 == 0 ? "open" : "closed")}}","n":{{i}}}""");
        await DeclareReadyAsync(type, "status", "/status", ct);
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "query2", cancellationToken: ct);
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "query2", cancellationToken: ct);

        var open = await reader.Client.SendIqAsync(new Iq(IqType.Get, XElement.Parse(
            $$"""<query xmlns="urn:actors:1" type="{{type}}" index="status" eq='"open"' include="doc" order="desc"/>"""), cluster.SiloB), ct);
        var unknown = async () => await reader.Client.SendIqAsync(new Iq(IqType.Get, XElement.Parse(
            $$"""<query xmlns="urn:actors:1" type="{{type}}" index="colour" eq='"red"'/>"""), cluster.SiloA), ct);
        var invalid = async () => await reader.Client.SendIqAsync(new Iq(IqType.Get, XElement.Parse(
            $$"""<query xmlns="urn:actors:1" type="{{type}}"><set xmlns="http://jabber.org/protocol/rsm"><max>1001</max></set></query>"""), cluster.SiloA), ct);
        var forbidden = async () => await eve.Client.SendIqAsync(new Iq(IqType.Get, new QueryPayload(new RootQuery(type)).ToElement(), cluster.SiloA), ct);

        TestOutput.Record("iq query on index", open.ToString());
        var items = open.Payload!.Elements(Actors + "root").ToList();
        items.Select(r => (string?)r.Attribute("id")).Should().Equal($"{type}/r002", $"{type}/r000");
        items[0].Value.Should().Be("""{"status":"open","n":2}""");
        open.Payload.Element(Rsm + "set")!.Element(Rsm + "last").Should().BeNull("nothing remains");
        var unknownError = (await unknown.Should().ThrowAsync<XmppStanzaException>()).Which.Error;
        unknownError.Condition.Should().Be("bad-request");
        unknownError.Text.Should().Contain("status");
        (await invalid.Should().ThrowAsync<XmppStanzaException>()).Which.Error.Text.Should().Contain("from 1 to 1000");
        (await forbidden.Should().ThrowAsync<XmppStanzaException>()).Which.Error.Condition.Should().Be("forbidden");
    }

    [Fact]
    public async Task ChatFindAndIndexes_ReadableTables_AndTheNextPageCommand()
    {
        var ct = TestContext.Current.CancellationToken;
        var type = UniqueType();
        await CreateRootsAsync(type, 5, i => $$"""{"votes":{{i * 10}}}""");
        await DeclareReadyAsync(type, "votes", "/votes", ct);
        await using var reader = await XmppTestUser.ConnectAsync(cluster, "reader", "find", cancellationToken: ct);
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "find", cancellationToken: ct);

        var indexes = await reader.ChatAsync(cluster.SiloA, $"indexes {type}", cancellationToken: ct);
        var first = await reader.ChatAsync(cluster.SiloA, $"find {type} votes ge 10 limit 2", cancellationToken: ct);
        var more = first.Split('\n').Last();
        var second = await reader.ChatAsync(cluster.SiloA, more["More: ".Length..], cancellationToken: ct);
        var bad = await reader.ChatAsync(cluster.SiloA, $"find {type} votes ge ten", cancellationToken: ct);
        var watcher = await eve.ChatAsync(cluster.SiloA, $"find {type}", cancellationToken: ct);

        TestOutput.Record("chat indexes", indexes);
        TestOutput.Record("chat find", first + "\n---\n" + second);
        indexes.Should().Contain("votes").And.Contain("/votes").And.Contain("ready");
        first.Should().Contain($"{type}/r001").And.Contain($"{type}/r002").And.NotContain($"{type}/r000");
        more.Should().StartWith($"More: find {type} votes ge 10 limit 2 after ");
        second.Should().Contain($"{type}/r003").And.Contain($"{type}/r004").And.NotContain($"{type}/r002");
        bad.Should().StartWith("Refused:").And.Contain("not a JSON literal");
        watcher.Should().Contain("needs the reader role");
    }

    [Fact]
    public async Task Slixmpp_FindsByChat_AndPagesWithRsm()
    {
        var ct = TestContext.Current.CancellationToken;
        var type = UniqueType();
        var roots = await CreateRootsAsync(type, 5, i => $$"""{"i":{{i}}}""");
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "actors_find.py");

        var run = await SlixmppScript.RunAsync(script,
            [$"reader@{cluster.Domain}/slixmpp-find", BridgeClusterFixture.PasswordOf("reader"), cluster.Xmpp.Host, cluster.Xmpp.Port.ToString(CultureInfo.InvariantCulture),
             cluster.Xmpp.CertificatePath!, cluster.SiloA.ToString(), type, "2"],
            TimeSpan.FromSeconds(90), ct);

        TestOutput.Record("slixmpp find", run.StandardOutput);
        run.ExitCode.Should().Be(0, run.StandardOutput + run.StandardError);
        run.StandardOutput.Should().Contain($"CHAT root").And.Contain(roots[0]).And.Contain("More: find");
        run.StandardOutput.Should().Contain("DONE 3 5");
        foreach (var root in roots)
        {
            run.StandardOutput.Split('\n').Where(l => l.StartsWith("PAGE", StringComparison.Ordinal)).Count(l => l.Split(' ').Contains(root)).Should().Be(1, root);
        }
    }
}
