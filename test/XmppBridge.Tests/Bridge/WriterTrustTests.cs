using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// <see cref="XmppStoreWriter"/> trusts only the cluster's own JIDs (docs/security.md): <c>&lt;silo/&gt;</c> presence from
/// another account of the domain makes no write target, and an answer to an attempt counts only from the account it
/// went to (that silo, or another session of its account the server handed it to). Real Prosody; "solo" plays a configured silo whose every stanza the test writes, "eve" an intruder.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class WriterTrustTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void Writer_WithoutSilos_IsRefusedWithWhatToSet()
    {
        var client = new Client.XmppClient(new Client.Options.XmppClientOptions { Jid = Jid.Parse($"app@{cluster.Domain}/none"), Password = "x" });

        var act = () => new XmppStoreWriter(client, new XmppStoreWriterOptions());

        act.Should().Throw<ArgumentException>().WithMessage("*Silos must list the bare JIDs of the cluster's silos*");
    }

    [Fact]
    public async Task Writer_IgnoresSiloPresenceFromOthers_AndAnswersFromAnyoneButTheTarget()
    {
        var ct = TestContext.Current.CancellationToken;
        XmppStoreWriter? writer = null;
        var options = new XmppStoreWriterOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 1, Silos = { $"solo@{cluster.Domain}" } };
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "trust", c => writer = new XmppStoreWriter(c, options), ct);
        using var _ = writer;
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "intruder", cancellationToken: ct);
        await using var solo = await XmppTestUser.ConnectAsync(cluster, "solo", "fake-silo", cancellationToken: ct);

        // Both announce themselves as silos to the writer by directed presence; only solo is configured.
        await eve.Client.SendAsync(SiloPresence(app.Jid, "evil"), ct);
        await solo.Client.SendAsync(SiloPresence(app.Jid, "solo"), ct);
        await WaitUntilAsync(() => writer!.AvailableSilos.Any(s => s.Jid == solo.Jid), ct);
        await Task.Delay(500, ct);
        writer!.AvailableSilos.Select(s => s.Jid).Should().Equal([solo.Jid], "eve's <silo/> presence comes from outside the configured silos");

        var root = WriteStanzas.UniqueRoot();
        var mark = solo.Mark;
        var writing = writer.WriteAsync(root, WriteOp.Put, """{"n":1}""", cancellationToken: ct);
        var write = await solo.WaitForAsync<Message>(m => m.From == app.Jid && m.ReceiptRequested, mark, Long, ct);

        // Eve learned the id (say, by watching): her receipt with <written/> must not confirm the write...
        await eve.Client.SendAsync(Confirmation(write, app.Jid, root, version: 666), ct);
        await Task.Delay(500, ct);
        writing.IsCompleted.Should().BeFalse("an answer from another account than the one the attempt went to is ignored");
        // ...the silo's own does.
        await solo.Client.SendAsync(Confirmation(write, app.Jid, root, version: 7), ct);
        var result = await writing;

        result.Succeeded.Should().BeTrue(result.Error?.Message);
        result.Version.Should().Be(7);
        result.Silo.Should().Be(solo.Jid);
    }

    [Fact]
    public async Task Writer_AcceptsTheAnswerOfAnotherSessionOfTheTargetsAccount()
    {
        // A server hands a message for a resource that just went away to another session of the same account (RFC 6121
        // §8.5.3.2.1): that silo applies the write and answers from its own resource. The answer confirms the write at
        // once instead of after an attempt timeout and a resend.
        var ct = TestContext.Current.CancellationToken;
        XmppStoreWriter? writer = null;
        var options = new XmppStoreWriterOptions { AttemptTimeout = TimeSpan.FromSeconds(20), MaxAttempts = 1, Silos = { $"solo@{cluster.Domain}" } };
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "sibling", c => writer = new XmppStoreWriter(c, options), ct);
        using var _ = writer;
        await using var target = await XmppTestUser.ConnectAsync(cluster, "solo", "silo-target", cancellationToken: ct);
        await using var sibling = await XmppTestUser.ConnectAsync(cluster, "solo", "silo-sibling", cancellationToken: ct);
        await target.Client.SendAsync(SiloPresence(app.Jid, "target"), ct);
        await WaitUntilAsync(() => writer!.AvailableSilos.Any(s => s.Jid == target.Jid), ct);

        var root = WriteStanzas.UniqueRoot();
        var mark = target.Mark;
        var writing = writer!.WriteAsync(root, WriteOp.Put, """{"n":1}""", cancellationToken: ct);
        var write = await target.WaitForAsync<Message>(m => m.From == app.Jid && m.ReceiptRequested, mark, Long, ct);
        await sibling.Client.SendAsync(Confirmation(write, app.Jid, root, version: 3), ct);
        var result = await writing.WaitAsync(TimeSpan.FromSeconds(10), ct);

        result.Succeeded.Should().BeTrue(result.Error?.Message);
        result.Version.Should().Be(3);
        result.Silo.Should().Be(sibling.Jid, "the result names the silo that answered");
    }

    private static Presence SiloPresence(Jid to, string name)
    {
        var presence = new Presence { To = to };
        presence.Element.Add(new XElement(ActorsXml.Silo, new XAttribute("name", name), new XAttribute("status", "Active")));
        return presence;
    }

    private static Message Confirmation(Message write, Jid to, string root, long version)
    {
        var receipt = new Message { To = to, Id = Guid.NewGuid().ToString("N") };
        receipt.Element.Add(new XElement(XNamespace.Get("urn:xmpp:receipts") + "received", new XAttribute("id", write.Id!)));
        receipt.Element.Add(new WrittenPayload(root, version, Duplicate: false).ToElement());
        return receipt;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Long);
        while (!condition())
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
