using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

public abstract class BridgeChatTests(BridgeClusterFixture cluster)
{
    [Fact]
    public async Task Help_ListsOnlyWhatTheAskerMayUse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "help", cancellationToken: ct);
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "help", cancellationToken: ct);

        var watcherHelp = await eve.ChatAsync(cluster.SiloA, "help", cancellationToken: ct);
        var operatorHelp = await ops.ChatAsync(cluster.SiloA, "help", cancellationToken: ct);

        TestOutput.Record("help (watcher)", watcherHelp);
        TestOutput.Record("help (operator)", operatorHelp);
        watcherHelp.Should().Contain("status").And.Contain("where <root>").And.NotContain("put").And.NotContain("drain").And.NotContain("xmlns");
        operatorHelp.Should().Contain("put <root> <json>").And.Contain("drain");
    }

    [Fact]
    public async Task Status_ShowsEverySiloInAnAlignedTable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "status", cancellationToken: ct);

        var status = await eve.ChatAsync(cluster.SiloA, "status", cancellationToken: ct);

        TestOutput.Record("status", status);
        var lines = status.Split('\n');
        lines[0].Should().MatchRegex(@"^\d+ of \d+ silos active$");
        var header = lines[1];
        header.Should().StartWith("silo").And.Contain("activations");
        var (statusAt, activationsAt) = (header.IndexOf("status", StringComparison.Ordinal), header.IndexOf("activations", StringComparison.Ordinal));
        var rows = lines.Skip(2).TakeWhile(l => l.StartsWith("silo", StringComparison.Ordinal)).ToList();
        rows.Should().Contain(l => l.StartsWith("silo-a *", StringComparison.Ordinal)).And.Contain(l => l.StartsWith("silo-b ", StringComparison.Ordinal));
        foreach (var row in rows)
        {
            // Aligned: every row's status cell starts under the header's "status", after the padding of the name column.
            row.Length.Should().BeGreaterThan(activationsAt, row);
            (row[statusAt - 1], row[statusAt]).Should().Match<(char Before, char First)>(c => c.Before == ' ' && c.First != ' ', row);
            row[statusAt..activationsAt].Trim().Should().MatchRegex(@"^(Active|Joining|Draining|ShuttingDown|Stopping|Degraded \(.+\))$", row);
        }

        // This silo's own row shows its health as presence does (the monitor's word, which can say Degraded), and a
        // silo that just started is Active, not degraded (storage is probed only once the silo is Active).
        rows.Single(l => l.StartsWith("silo-a *", StringComparison.Ordinal))[statusAt..activationsAt].Trim().Should().Be("Active");
    }

    [Fact]
    public async Task PutMergePatchGetWhereDelete_ByChat_ShortRepliesAndRealChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "chat", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();

        var put = await ops.ChatAsync(cluster.SiloA, $$"""put {{root}} {"title":"Hi","n":1}""", "chat-put-1", ct);
        var putAgain = await ops.ChatAsync(cluster.SiloA, $$"""put {{root}} {"title":"Hi","n":1}""", "chat-put-1", ct);
        var merge = await ops.ChatAsync(cluster.SiloA, $$"""merge {{root}} {"n":2}""", cancellationToken: ct);
        var patch = await ops.ChatAsync(cluster.SiloB, $$"""patch {{root}} [{"op":"add","path":"/tags","value":["x"]}]""", cancellationToken: ct);
        var get = await ops.ChatAsync(cluster.SiloA, $"get {root}", cancellationToken: ct);
        var getPart = await ops.ChatAsync(cluster.SiloA, $"get {root} /tags/0", cancellationToken: ct);
        var where = await ops.ChatAsync(cluster.SiloA, $"where {root}", cancellationToken: ct);
        var badPatch = await ops.ChatAsync(cluster.SiloA, $$"""patch {{root}} [{"op":"test","path":"/n","value":9}]""", cancellationToken: ct);
        var delete = await ops.ChatAsync(cluster.SiloA, $"delete {root}", cancellationToken: ct);
        var unknown = await ops.ChatAsync(cluster.SiloA, "frobnicate", cancellationToken: ct);

        foreach (var (name, reply) in new[] { ("put", put), ("put again", putAgain), ("merge", merge), ("patch", patch), ("get", get), ("get pointer", getPart), ("where", where), ("patch failed", badPatch), ("delete", delete), ("unknown", unknown) })
        {
            TestOutput.Record(name, reply);
            reply.Should().NotContain("</").And.NotContain("xmlns");
        }

        put.Should().Be($"{root} · version 1 · created");
        putAgain.Should().Be($"{root} · version 1 · already created by this message before; nothing changed");
        merge.Should().Be($"{root} · version 2 · updated");
        patch.Should().Be($"{root} · version 3 · updated");
        get.Should().StartWith($"{root} · version 3\n").And.Contain("\"tags\"");
        getPart.Should().Be($"{root} · version 3 · /tags/0\n\"x\"");
        where.Should().MatchRegex($@"^{root} is on silo-[ab]: silo@localhost/silo-[ab]$");
        badPatch.Should().StartWith("Refused: The patch cannot apply");
        delete.Should().Be($"{root} · version 4 · deleted");
        unknown.Should().StartWith("Unknown command 'frobnicate'.\nCommands for you (operator):");
        (await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync()).Error!.Kind.Should().Be(ActorsErrorKind.RootNotFound);
    }

    [Fact]
    public async Task CommandBeyondRole_OneLineNamingTheRole()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "deny", cancellationToken: ct);
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "deny", cancellationToken: ct);

        var drain = await app.ChatAsync(cluster.SiloA, "drain", cancellationToken: ct);
        var put = await eve.ChatAsync(cluster.SiloA, "put topic/x {}", cancellationToken: ct);

        TestOutput.Record("drain by a writer", drain);
        drain.Should().Be("'drain' needs the operator role; app@localhost is a writer.");
        put.Should().Be("'put' needs the writer role; eve@localhost is a watcher.");
    }

    [Fact]
    public async Task DelayedChatWrite_OlderThanMaxWriteAge_RefusedAndNothingChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "stale", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        var mark = ops.Mark;
        var message = new Message(cluster.SiloA, $$"""put {{root}} {"title":"late"}""") { Id = "stale-chat-1" };
        message.Element.Add(new XElement(XName.Get("delay", "urn:xmpp:delay"),
            new XAttribute("stamp", DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))));

        await ops.Client.SendAsync(message, ct);
        var reply = await ops.WaitForAsync<Message>(m => m.From == cluster.SiloA && m.Body is not null, mark, cancellationToken: ct);

        TestOutput.Record("delayed chat put", reply.Body!);
        reply.Body.Should().StartWith("Refused: The write was delayed");
        (await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync()).Error!.Kind.Should().Be(ActorsErrorKind.RootNotFound);
    }

    [Fact]
    public async Task ChatWriteWithoutMessageId_RefusedWithExplanationAndNothingChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "noid", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        var mark = ops.Mark;

        await ops.Client.SendAsync(new Message(cluster.SiloA, $$"""put {{root}} {"title":"Hi"}""") { Id = null }, ct);
        var reply = await ops.WaitForAsync<Message>(m => m.From == cluster.SiloA && m.Body is not null, mark, cancellationToken: ct);

        TestOutput.Record("put without a message id", reply.Body!);
        reply.Type.Should().Be(MessageType.Chat, "a person in a chat window gets a sentence, not a stanza error");
        reply.Body.Should().StartWith("Refused: put needs a message id").And.Contain("write id").And.Contain("never applied twice");
        (await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync()).Error!.Kind.Should().Be(ActorsErrorKind.RootNotFound);
    }
}
