using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

public abstract class BridgeWriteTests(BridgeClusterFixture cluster)
{
    [Fact]
    public async Task WriteMessage_WithReceiptRequest_ReceiptAndWrittenAfterDocumentIsReadable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "w1", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();

        var request = WriteStanzas.Write(cluster.SiloA, root, "put", """{"title":"Hi"}""", id: "w-42");
        var reply = await app.SendWriteAsync(request, cancellationToken: ct);
        TestOutput.Record("write", request.ToString());
        TestOutput.Record("receipt", reply.ToString());

        reply.Type.Should().NotBe(MessageType.Error, reply.ToString());
        reply.ReceiptFor.Should().Be("w-42");
        var written = WriteStanzas.Written(reply)!;
        ((string?)written.Attribute("root")).Should().Be(root);
        ((string?)written.Attribute("version")).Should().Be("1");
        ((string?)written.Attribute("duplicate")).Should().Be("false");
        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        read.Json.Should().Be("""{"title":"Hi"}""");
        read.Version.Should().Be(1);
    }

    [Fact]
    public async Task SameStanzaTwice_ToSameSiloAndToAnother_AppliedOnceThenDuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "w2", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        const string patch = """[{"op":"add","path":"/items/-","value":1}]""";
        await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"items":[]}"""), cancellationToken: ct);

        var first = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "patch", patch, id: "m-1", originId: "o-1"), cancellationToken: ct);
        var again = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "patch", patch, id: "m-1", originId: "o-1"), cancellationToken: ct);
        var elsewhere = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloB, root, "patch", patch, id: "m-2", originId: "o-1"), cancellationToken: ct);

        ((string?)WriteStanzas.Written(first)!.Attribute("duplicate")).Should().Be("false");
        foreach (var duplicate in new[] { again, elsewhere })
        {
            var written = WriteStanzas.Written(duplicate)!;
            ((string?)written.Attribute("duplicate")).Should().Be("true");
            ((string?)written.Attribute("version")).Should().Be("2");
        }

        elsewhere.From.Should().Be(cluster.SiloB);
        (await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync()).Json.Should().Be("""{"items":[1]}""");
    }

    [Fact]
    public async Task ManyWritesUnacknowledged_ToOneRootAndToManyRoots_OneRootAppliedInOrderSent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "w-order", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        var others = Enumerable.Range(0, 20).Select(_ => WriteStanzas.UniqueRoot()).ToArray();
        await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"items":[]}"""), cancellationToken: ct);

        // All sent before any receipt is awaited, so they are in the silo at once: writes to other roots run
        // concurrently with this root's, and this root's must still apply in the order sent.
        const int count = 100;
        var mark = app.Mark;
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"ord-{i}";
            ids.Add(id);
            await app.Client.SendAsync(WriteStanzas.Write(cluster.SiloA, root, "patch", $$"""[{"op":"add","path":"/items/-","value":{{i}}}]""", id: id), ct);
            await app.Client.SendAsync(WriteStanzas.Write(cluster.SiloA, others[i % others.Length], "merge", $$"""{"n":{{i}}}""", id: $"oth-{i}"), ct);
        }

        foreach (var id in ids)
        {
            var reply = await app.WaitForAsync<Message>(m => m.ReceiptFor == id || (m.Type == MessageType.Error && m.Id == id), mark, cancellationToken: ct);
            reply.Type.Should().NotBe(MessageType.Error, reply.ToString());
        }

        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        read.Json.Should().Be($$"""{"items":[{{string.Join(",", Enumerable.Range(0, count))}}]}""");
        read.Version.Should().Be(count + 1);
    }

    public static TheoryData<string, string?, long?, string, string, string?> ErrorRows() => new()
    {
        // op, json, if-version, condition, error type, application condition
        { "put", "{not json", null, "bad-request", "modify", null },
        { "put", "[1,2]", null, "bad-request", "modify", null },
        { "frobnicate", "{}", null, "bad-request", "modify", null },
        { "patch", """[{"op":"test","path":"/a","value":2}]""", null, "bad-request", "modify", "patch-failed" },
        { "merge", """{"b":1}""", 7, "conflict", "cancel", "version-mismatch" },
    };

    [Theory]
    [MemberData(nameof(ErrorRows))]
    public async Task WriteMessage_Refused_StanzaErrorPerDesignTable(string op, string? json, long? ifVersion, string condition, string type, string? application)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "err-" + Guid.NewGuid().ToString("N")[..6], cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"a":1}"""), cancellationToken: ct);

        var reply = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, op, json, ifVersion, id: "bad-1"), cancellationToken: ct);

        TestOutput.Record("error " + condition, reply.ToString());
        AssertError(reply, "bad-1", condition, type, application);
        reply.ReceiptFor.Should().BeNull("no receipt is ever sent for a write that was not applied");
        if (application == "version-mismatch")
        {
            ((string?)reply.Error!.ApplicationCondition!.Attribute("current")).Should().Be("1");
        }

        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        (read.Json, read.Version).Should().Be(("""{"a":1}""", 1L));
    }

    [Fact]
    public async Task WriteIdReused_WithAnotherCommand_ConflictWriteIdReused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "reuse", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"a":1}""", originId: "same"), cancellationToken: ct);

        var reply = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloB, root, "put", """{"a":2}""", id: "r-2", originId: "same"), cancellationToken: ct);

        AssertError(reply, "r-2", "conflict", "cancel", "write-id-reused");
    }

    [Fact]
    public async Task DeleteAbsentRoot_ItemNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "absent", cancellationToken: ct);

        var reply = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, WriteStanzas.UniqueRoot(), "delete", null, id: "d-1"), cancellationToken: ct);

        AssertError(reply, "d-1", "item-not-found", "cancel", null);
    }

    [Fact]
    public async Task NonWriter_Writes_ForbiddenAndDocumentUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "owner", cancellationToken: ct);
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "intruder", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"owner":"app"}"""), cancellationToken: ct);

        var reply = await eve.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"owner":"eve"}""", id: "f-1"), cancellationToken: ct);

        AssertError(reply, "f-1", "forbidden", "auth", null);
        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        (read.Json, read.Version).Should().Be(("""{"owner":"app"}""", 1L));
    }

    [Fact]
    public async Task WriteOverMaxWriteBytes_NotAcceptable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "big", cancellationToken: ct);
        var json = $$"""{"blob":"{{new string('x', 25_000)}}"}""";

        var reply = await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, WriteStanzas.UniqueRoot(), "put", json, id: "big-1"), cancellationToken: ct);

        AssertError(reply, "big-1", "not-acceptable", "modify", null);
        reply.Error!.Text.Should().Contain("20,000");
    }

    [Fact]
    public async Task DelayedWrite_OlderThanMaxWriteAge_NotAcceptableStaleWrite()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "stale", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        var message = WriteStanzas.Write(cluster.SiloA, root, "put", "{}", id: "s-1");
        message.Element.Add(new XElement(XName.Get("delay", "urn:xmpp:delay"), new XAttribute("stamp", DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture))));

        var reply = await app.SendWriteAsync(message, cancellationToken: ct);

        AssertError(reply, "s-1", "not-acceptable", "modify", "stale-write");
        (await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync()).Error!.Kind.Should().Be(ActorsErrorKind.RootNotFound);
    }

    [Fact]
    public async Task WriteWithJsonInChildElement_BadRequestAndNothingChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "child", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        await app.SendWriteAsync(WriteStanzas.Write(cluster.SiloA, root, "put", """{"a":1}"""), cancellationToken: ct);
        var message = WriteStanzas.Write(cluster.SiloA, root, "put", json: null, id: "c-1");
        message.Element.Element(XName.Get("write", "urn:actors:1"))!.Add(new XElement(XName.Get("json", "urn:example"), "{}"));

        var reply = await app.SendWriteAsync(message, cancellationToken: ct);

        TestOutput.Record("write with a child element", reply.ToString());
        AssertError(reply, "c-1", "bad-request", "modify", null);
        reply.Error!.Text.Should().Contain("<json/>");
        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        (read.Json, read.Version).Should().Be(("""{"a":1}""", 1L), "the write was refused, not applied as {}");
    }

    [Fact]
    public async Task WriteWithoutId_BadRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "noid", cancellationToken: ct);
        var message = WriteStanzas.Write(cluster.SiloA, WriteStanzas.UniqueRoot(), "put", "{}");
        message.Id = null;
        var mark = app.Mark;

        await app.Client.SendAsync(message, ct);
        var reply = await app.WaitForAsync<Message>(m => m.Type == MessageType.Error && m.From == cluster.SiloA && m.Id is null, mark, cancellationToken: ct);

        reply.Error!.Condition.Should().Be("bad-request");
        reply.Error.Text.Should().Contain("id");
    }

    internal static void AssertError(Message reply, string id, string condition, string type, string? application)
    {
        reply.Type.Should().Be(MessageType.Error, reply.ToString());
        reply.Id.Should().Be(id);
        var error = reply.Error!;
        error.Condition.Should().Be(condition, reply.ToString());
        error.Type.ToString().ToLowerInvariant().Should().Be(type);
        error.Text.Should().NotBeNullOrWhiteSpace();
        if (application is null)
        {
            error.ApplicationCondition.Should().BeNull();
        }
        else
        {
            error.ApplicationCondition!.Name.Should().Be(XName.Get(application, "urn:actors:1"));
        }
    }
}
