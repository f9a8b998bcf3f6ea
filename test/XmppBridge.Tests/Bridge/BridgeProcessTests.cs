using System.Globalization;
using Actors.Contracts;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>Real silo processes (the executable of src/Silo/Host) where a test drains or SIGKILLs one, and a slixmpp client.</summary>
[Collection(BridgeCluster.Name)]
public sealed class BridgeProcessTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Drain_ByOperator_AwayThenUnavailableAndExitCodeZero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await ConnectSubscribedAsync("ops", "drain", ct);
        await using var silo = cluster.StartSiloProcess("silo-d");
        var jid = cluster.SiloJid("silo-d");
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);
        var mark = ops.Mark;

        var reply = await ops.ChatAsync(jid, "drain", cancellationToken: ct);

        TestOutput.Record("drain", reply);
        reply.Should().StartWith("Draining silo-d:");
        var away = await ops.WaitForAsync<Presence>(p => p.From == jid && p.Show == PresenceShow.Away, mark, Long, ct);
        away.Status.Should().StartWith("Draining");
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Unavailable, mark, Long, ct);
        (await silo.WaitForExitAsync(Long, ct)).Should().BeTrue(silo.RecentOutput);
        silo.ExitCode.Should().Be(0, silo.RecentOutput);
        await cluster.WaitUntilSiloGoneAsync("silo-d", ct);
    }

    [Fact]
    public async Task SiloKilled_ServerReportsUnavailableWithinOneSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await ConnectSubscribedAsync("ops", "kill", ct);
        await using var silo = cluster.StartSiloProcess("silo-k");
        var jid = cluster.SiloJid("silo-k");
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);
        var mark = ops.Mark;

        silo.Kill();
        var killedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Unavailable, mark, TimeSpan.FromSeconds(30), ct);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(killedAt);

        // Silos do not ask for XEP-0198 resumption, so the server ends the session when the kernel resets the socket.
        TestOutput.Record("unavailable after SIGKILL", $"{elapsed.TotalMilliseconds:N0} ms");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "a crashed silo must look dead within 1 s (issue 14)");
        await cluster.WaitUntilSiloGoneAsync("silo-k", ct);
    }

    [Fact]
    public async Task Writer_SiloKilledMidWrite_FailsOverAndAppliesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        XmppStoreWriter? writer = null;
        var options = new XmppStoreWriterOptions { AttemptTimeout = TimeSpan.FromSeconds(3), MaxAttempts = 10, Silos = { $"silo@{cluster.Domain}" } };
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "writer", c => writer = new XmppStoreWriter(c, options), ct);
        using var _ = writer;
        await app.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await using var silo = cluster.StartSiloProcess("silo-f");
        var victim = cluster.SiloJid("silo-f");
        await WaitUntilAsync(() => writer!.AvailableSilos.Any(s => s.Jid == victim) && writer.AvailableSilos.Count >= 3, ct);
        var root = Enumerable.Range(0, 1000).Select(_ => WriteStanzas.UniqueRoot()).First(r => writer!.PickSilo(r, new HashSet<Jid>()) == victim);

        silo.Kill();
        var result = await writer!.WriteAsync(root, WriteOp.Put, """{"n":1}""", cancellationToken: ct);

        result.Succeeded.Should().BeTrue(result.Error?.Message);
        // Silos use no XEP-0198 resumption, so the victim's unavailable usually reaches the writer before it sends (0
        // retries: it goes straight to another silo); a write that went out first is retried elsewhere. Either way once.
        result.Retries.Should().BeGreaterThanOrEqualTo(0);
        result.Silo.Should().NotBe(victim);
        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        (read.Json, read.Version).Should().Be(("""{"n":1}""", 1L), "the write was applied exactly once");
        TestOutput.Record("writer failover", $"version {result.Version}, duplicate {result.Duplicate}, retries {result.Retries}, confirmed by {result.Silo}");
        await cluster.WaitUntilSiloGoneAsync("silo-f", ct);
    }

    [Fact]
    public async Task Slixmpp_WritesWithReceiptRequest_GetsReceiptAndReadsBackOverIq()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = WriteStanzas.UniqueRoot();
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "actors_write.py");

        var run = await SlixmppScript.RunAsync(script,
            [$"app@{cluster.Domain}/slixmpp", BridgeClusterFixture.PasswordOf("app"), cluster.Xmpp.Host, cluster.Xmpp.Port.ToString(CultureInfo.InvariantCulture),
             cluster.Xmpp.CertificatePath!, cluster.SiloA.ToString(), root, """{"from":"slixmpp"}"""],
            TimeSpan.FromSeconds(60), ct);

        TestOutput.Record("slixmpp", run.StandardOutput);
        run.ExitCode.Should().Be(0, run.StandardOutput + run.StandardError);
        run.StandardOutput.Should().Contain("RECEIPT ").And.Contain("WRITTEN 1").And.Contain("""DOCUMENT 1 {"from":"slixmpp"}""");
    }

    private async Task<XmppTestUser> ConnectSubscribedAsync(string user, string resource, CancellationToken ct)
    {
        var client = await XmppTestUser.ConnectAsync(cluster, user, resource, cancellationToken: ct);
        await client.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        return client;
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
