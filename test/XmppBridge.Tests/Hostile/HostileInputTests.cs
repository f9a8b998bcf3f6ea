using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Actors.Contracts;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Tests.Bridge;

namespace Actors.XmppBridge.Tests.Hostile;

/// <summary>
/// The hostile-input run's correctness half (issue 15; docs/security.md): one watcher floods silo-a with everything
/// in <see cref="HostileWatcher"/> while an <see cref="XmppStoreWriter"/> writes to a root that silo-a hosts. Every
/// confirmed write must be stored exactly once, silo-a must keep answering, and the flooder must be refused. How much
/// the flood slows the writer is measured by the XmppBenchmarks <c>hostile</c> mode, not here.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class HostileInputTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan FloodFor = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Flood_FromOneWatcher_WhileAWriterWrites_EveryConfirmedWriteStoredOnce_AndTheSiloStillAnswers()
    {
        var ct = TestContext.Current.CancellationToken;
        XmppStoreWriter? writer = null;
        var options = new XmppStoreWriterOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 5, Silos = { $"silo@{cluster.Domain}" } };
        await using var app = await XmppTestUser.ConnectAsync(cluster, "app", "hostile-run", c => writer = new XmppStoreWriter(c, options), ct);
        using var _ = writer;
        await app.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await WaitUntilAsync(() => writer!.AvailableSilos.Any(s => s.Jid == cluster.SiloA), ct);
        var root = Enumerable.Range(0, 1000).Select(_ => WriteStanzas.UniqueRoot()).First(r => writer!.PickSilo(r, new HashSet<Jid>()) == cluster.SiloA);
        (await writer!.WriteAsync(root, WriteOp.Put, """{"items":[]}""", cancellationToken: ct)).Succeeded.Should().BeTrue();

        await using var eve = new HostileWatcher(new XmppClientOptions
        {
            Jid = Jid.Parse($"eve@{cluster.Domain}/hostile"),
            Password = BridgeClusterFixture.PasswordOf("eve"),
            Host = cluster.Xmpp.Host,
            Port = cluster.Xmpp.Port,
            TrustedCertificate = cluster.Xmpp.Certificate,
        }, cluster.SiloA);
        await eve.ConnectAsync(ct);
        using var stopFlood = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var flood = Task.Run(() => eve.RunAsync(stopFlood.Token), ct);

        // Four writers append distinct values for the flood's duration; a value a retry stored twice would show twice.
        var confirmed = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < FloodFor; i++)
            {
                var value = $"w{w}-{i}";
                var result = await writer.WriteAsync(root, WriteOp.Patch, $$"""[{"op":"add","path":"/items/-","value":"{{value}}"}]""", cancellationToken: ct);
                (result.Succeeded ? confirmed : failed).Add(result.Succeeded ? value : $"{value}: {result.Error.Kind} {result.Error.Message}");
            }
        }, ct)));

        // Still answering while the flood goes on.
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "hostile-run", cancellationToken: ct);
        (await ops.ChatAsync(cluster.SiloA, "status", cancellationToken: ct)).Should().Contain("silos active");
        await stopFlood.CancelAsync();
        await flood;
        TestOutput.Record("hostile run", $"{confirmed.Count} writes confirmed, {failed.Count} failed in {clock.Elapsed.TotalSeconds:F1} s; {eve}");

        failed.Should().BeEmpty("a writer's share of the silo is its own, whatever a watcher sends");
        confirmed.Should().NotBeEmpty();
        var read = await cluster.Grains.GetRoot(RootId.Parse(root)).ReadAsync();
        var items = JsonDocument.Parse(read.Json!).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetString()!).ToList();
        items.Should().BeEquivalentTo(confirmed, "every confirmed write is stored, each exactly once");
        read.Version.Should().Be(1 + confirmed.Count);

        eve.Sent.Should().BeGreaterThan(100, eve.ToString());
        eve.ErrorsReceived.Should().BeGreaterThan(0, "writes and reads without a role are refused: " + eve);
        eve.StreamsClosedByServer.Should().BeGreaterThan(0, "the server ends a stream carrying oversized or malformed XML: " + eve);
        // Eve's spoofed <silo name="silo-a"/> presence changed nothing: silo-b still names the real silo-a.
        (await ops.ChatAsync(cluster.SiloB, "drain silo-a", cancellationToken: ct)).Should().Contain(cluster.SiloA.ToString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
