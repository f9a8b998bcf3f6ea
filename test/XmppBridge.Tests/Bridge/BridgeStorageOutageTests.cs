using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// A write while storage is down (docs/xmpp-bridge.md: <c>service-unavailable</c>, type <c>wait</c>, and no receipt). The
/// silo here has a Redis of its own (<see cref="SiloWithOwnRedis"/>), so stopping it does not disturb the shared
/// cluster's silos.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class BridgeStorageOutageTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RedisStopped_SiloShowsDndNamingStorage_ThenAvailableOnceRedisIsBack()
    {
        // Presence is health (docs/xmpp-bridge.md): with no Redis server connected the probe fails at once, so the silo
        // turns dnd within a probe interval (1 s here; 1.0 s measured), without waiting out the two 3 s tries that a
        // slow read while connected gets (7.0 s measured when a stopped Redis waited them out too).
        var ct = TestContext.Current.CancellationToken;
        await using var own = await SiloWithOwnRedis.StartAsync(cluster, "silo-p", ct);
        var redis = own.Redis;
        var jid = cluster.SiloJid("silo-p");
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "probe-watch", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);

        var mark = ops.Mark;
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await redis.StopAsync(ct);
        var degraded = await ops.WaitForAsync<Presence>(p => p.From == jid && p.Show == PresenceShow.Dnd, mark, Long, ct);
        var shownAfter = stopped.Elapsed;

        TestOutput.Record("presence after Redis stopped", $"{shownAfter.TotalSeconds:0.0} s: {degraded.Element}");
        degraded.Status.Should().StartWith("Degraded (storage unreachable)");
        shownAfter.Should().BeLessThan(TimeSpan.FromSeconds(5), "a disconnected Redis fails the probe at once; waiting out its two 3 s tries takes 6 s or more");

        mark = ops.Mark;
        await redis.StartAsync(ct);
        var back = await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, mark, Long, ct);
        back.Status.Should().StartWith("Active");
    }

    [Fact]
    public async Task WriteWhileRedisStopped_ServiceUnavailableWaitAndNoReceipt_ThenSameStanzaAppliesOnceAfterRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var own = await SiloWithOwnRedis.StartAsync(cluster, "silo-r", ct);
        var redis = own.Redis;
        var grains = own.Silo.Services.GetRequiredService<IGrainFactory>();
        var jid = cluster.SiloJid("silo-r");
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "outage", cancellationToken: ct);
        var root = WriteStanzas.UniqueRoot();
        var created = await app.SendWriteAsync(WriteStanzas.Write(jid, root, "put", """{"n":1}"""), Long, ct);
        ((string?)WriteStanzas.Written(created)?.Attribute("version")).Should().Be("1", created.ToString());

        await redis.StopAsync(ct);
        var mark = app.Mark;
        var refused = await app.SendWriteAsync(Merge(), Long, ct);

        TestOutput.Record("write while Redis is stopped", refused.ToString());
        BridgeWriteTests.AssertError(refused, "out-1", "service-unavailable", "wait", null);
        refused.ReceiptFor.Should().BeNull();
        await FluentActions.Awaiting(() => app.WaitForAsync<Message>(m => m.ReceiptFor == "out-1" || WriteStanzas.Written(m) is not null, mark, TimeSpan.FromSeconds(3), ct))
            .Should().ThrowAsync<TimeoutException>("no receipt is ever sent for a write that was not applied");

        await redis.StartAsync(ct);
        // A client resends the same stanza until it gets a receipt; the first success is the one application.
        var applied = await ResendUntilReceiptAsync();
        var again = await app.SendWriteAsync(Merge(), Long, ct);

        TestOutput.Record("the same stanza after Redis restarted", applied.ToString());
        var written = WriteStanzas.Written(applied)!;
        ((string?)written.Attribute("version")).Should().Be("2");
        ((string?)written.Attribute("duplicate")).Should().Be("false", "the refused attempt changed nothing");
        ((string?)WriteStanzas.Written(again)!.Attribute("duplicate")).Should().Be("true");
        ((string?)WriteStanzas.Written(again)!.Attribute("version")).Should().Be("2");
        var read = await grains.GetRoot(RootId.Parse(root)).ReadAsync();
        (read.Json, read.Version).Should().Be(("""{"n":2}""", 2L), "the write was applied exactly once");

        Message Merge() => WriteStanzas.Write(jid, root, "merge", """{"n":2}""", id: "out-1", originId: "outage-merge");

        async Task<Message> ResendUntilReceiptAsync()
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Long);
            while (true)
            {
                var reply = await app.SendWriteAsync(Merge(), Long, deadline.Token);
                if (reply.Type != MessageType.Error)
                {
                    return reply;
                }

                BridgeWriteTests.AssertError(reply, "out-1", "service-unavailable", "wait", null);
                await Task.Delay(500, deadline.Token);
            }
        }
    }
}
