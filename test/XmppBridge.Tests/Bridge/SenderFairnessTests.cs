using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// One flooding account cannot crowd out the others (docs/security.md): each sender queues within its own share of a
/// silo (Actors:Xmpp:MaxPendingPerSender) and roles are checked before queueing. A real silo process with a share of
/// 5 makes the effect plain: a watcher's burst of 200 chat commands is mostly refused, while a writer's writes to the
/// same silo at the same time all go through.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class SenderFairnessTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WatcherBurst_IsCappedAtItsShare_WhileAWritersWritesGoThrough()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "flood", cancellationToken: ct);
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "fair", cancellationToken: ct);
        await eve.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await using var silo = cluster.StartSiloProcess("silo-s", new Dictionary<string, string?> { ["Actors:Xmpp:MaxPendingPerSender"] = "5" });
        var jid = cluster.SiloJid("silo-s");
        await eve.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);
        var mark = eve.Mark;

        // The writer writes one at a time (within its own share of 5) while the burst arrives.
        var writes = Task.Run(async () =>
        {
            var answers = new List<Message>();
            for (var i = 0; i < 10; i++)
            {
                answers.Add(await app.SendWriteAsync(WriteStanzas.Write(jid, WriteStanzas.UniqueRoot(), "put", $$"""{"n":{{i}}}""", id: $"fair-{i}"), TimeSpan.FromSeconds(30), ct));
            }
            return answers;
        }, ct);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => eve.Client.SendAsync(new Message(jid, "status") { Id = $"flood-{i}" }, ct)));
        var replies = await writes;
        await Task.Delay(TimeSpan.FromSeconds(5), ct); // what was admitted is answered by now
        var answered = eve.Received<Message>(mark).Count(m => m.From == jid && m.Body is not null);

        TestOutput.Record("burst of 200 status commands with a share of 5", $"{answered} answered");
        answered.Should().BeLessThan(100, "beyond its share of 5 queued commands a sender is refused, not queued");
        answered.Should().BeGreaterThan(0);
        replies.Select(r => r.Type != MessageType.Error && r.Element.Element(ActorsXml.Written) is not null).Should().AllBeEquivalentTo(true, "the writer has a share of its own");
        await silo.StopAsync(TimeSpan.FromSeconds(30), ct);
        await cluster.WaitUntilSiloGoneAsync("silo-s", ct);
    }
}
