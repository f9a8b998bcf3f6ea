using System.Diagnostics;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>
/// Clients on a real two-node ejabberd cluster (issue 14): accounts, rosters and subscriptions are shared, so a client
/// that loses its node and moves to the other is seen by the same watchers; and what the cluster does not do when a node
/// dies — tell watchers on the survivor that the dead node's users are gone — and the repair that does it.
/// </summary>
public sealed class EjabberdClusterClientTests : IAsyncLifetime
{
    private const string AdminPassword = "admin-secret";
    private EjabberdCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _cluster = await EjabberdCluster.StartNewAsync(security: XmppSecurity.Plaintext, adminApi: true, cancellationToken: ct);
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            await _cluster.RegisterAsync(user, user + "-pw", ct);
        }

        await _cluster.RegisterAsync("admin", AdminPassword, ct);
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private EjabberdServer First => _cluster.Nodes[0];

    private EjabberdServer Second => _cluster.Nodes[1];

    [Fact]
    public async Task NodeKilled_MultiHomedClientMovesAndWatcherOnTheOtherNodeSeesItAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bob = await TestClient.ConnectAsync(Second, "bob", "bob-pw", ct);
        await using var alice = await TestClient.ConnectAsync(First, "alice", "alice-pw", ct, o =>
        {
            o.Jid = Jid.Parse($"alice@{First.Domain}/node");
            o.ResumptionWindow = TimeSpan.Zero;
            // Listed so that this JID's hash starts it on the first node.
            var startsAtZero = XmppClient.FirstServerIndex(o.Jid, 2) == 0;
            o.Servers.Add(Endpoint(startsAtZero ? First : Second));
            o.Servers.Add(Endpoint(startsAtZero ? Second : First));
        });
        alice.Client.CurrentServer.Should().Be(Endpoint(First));
        await SubscribeAsync(bob, alice, ct);
        await alice.Client.SetPresenceAsync(PresenceShow.None, "serving", cancellationToken: ct);
        await bob.NextPresenceAsync(p => p.From?.Bare == alice.Jid && p.Status == "serving", ct);
        bob.ClearPresences();

        First.Kill();
        var killed = Stopwatch.GetTimestamp();
        await alice.NextStateAsync(s => s.State == XmppConnectionState.Connected, ct, TimeSpan.FromSeconds(30));
        var reconnected = Stopwatch.GetElapsedTime(killed);
        var seen = await bob.NextPresenceAsync(p => p.From?.Bare == alice.Jid && p.Type == PresenceType.Available, ct);
        var visible = Stopwatch.GetElapsedTime(killed);

        alice.Client.CurrentServer.Should().Be(Endpoint(Second));
        seen.Status.Should().Be("serving", "the subscription lives in the cluster and the presence is re-published");
        TestContext.Current.TestOutputHelper?.WriteLine($"node killed → client on the other node {reconnected.TotalMilliseconds:N0} ms, watcher there saw it available {visible.TotalMilliseconds:N0} ms");
    }

    [Fact]
    public async Task NodeKilled_UsersOnItStayAvailableToWatchersUntilTheRepairSaysUnavailable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bob = await TestClient.ConnectAsync(Second, "bob", "bob-pw", ct);
        // carol knows only the first node: a silo that dies with its node (one machine lost).
        await using var carol = await TestClient.ConnectAsync(First, "carol", "carol-pw", ct, o =>
        {
            o.ResumptionWindow = TimeSpan.Zero;
            o.ReconnectMinDelay = TimeSpan.FromMinutes(1);
        });
        await SubscribeAsync(bob, carol, ct);
        await carol.Client.SetPresenceAsync(PresenceShow.None, "serving", cancellationToken: ct);
        await bob.NextPresenceAsync(p => p.From?.Bare == carol.Jid && p.Status == "serving", ct);

        First.Kill();
        var stale = () => bob.NextPresenceAsync(p => p.From?.Bare == carol.Jid && p.Type == PresenceType.Unavailable, ct, TimeSpan.FromSeconds(3));
        await stale.Should().ThrowAsync<TimeoutException>("ejabberd tells nobody about the sessions of a node that died (shared/SERVERS.md)");

        using (var impostor = new StalePresenceRepair([First.AdminApiUrl!, Second.AdminApiUrl!], $"bob@{Second.Domain}", "bob-pw", new TestOutputLogger("impostor", Microsoft.Extensions.Logging.LogLevel.Debug)))
        {
            var speakForCarol = () => impostor.RepairAsync(carol.FullJid, ct);
            await speakForCarol.Should().ThrowAsync<HttpRequestException>("only the admin ACL may speak for other users");
        }

        using var repair = new StalePresenceRepair([First.AdminApiUrl!, Second.AdminApiUrl!], $"admin@{Second.Domain}", AdminPassword, new TestOutputLogger("repair", Microsoft.Extensions.Logging.LogLevel.Debug));
        var started = Stopwatch.GetTimestamp();
        var told = await repair.RepairAsync(carol.FullJid, ct);
        var gone = await bob.NextPresenceAsync(p => p.From == carol.FullJid && p.Type == PresenceType.Unavailable, ct, TimeSpan.FromSeconds(5));
        var elapsed = Stopwatch.GetElapsedTime(started);

        gone.Should().NotBeNull();
        told.Should().Be(2, "bob, who subscribed, and carol's own account");
        TestContext.Current.TestOutputHelper?.WriteLine($"repair → watcher saw unavailable {elapsed.TotalMilliseconds:N0} ms");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "issue 14: every watcher sees a dead silo unavailable within a few seconds");
    }

    private static XmppServerEndpoint Endpoint(EjabberdServer node) => new(node.Host, node.Port);

    /// <summary><paramref name="watcher"/> subscribes to <paramref name="contact"/>'s presence, and it is approved.</summary>
    private static async Task SubscribeAsync(TestClient watcher, TestClient contact, CancellationToken ct)
    {
        await watcher.Client.SetPresenceAsync(cancellationToken: ct);
        await contact.Client.SetPresenceAsync(cancellationToken: ct);
        await watcher.Client.SubscribeAsync(contact.Jid, ct);
        await contact.Client.ApproveSubscriptionAsync((await contact.NextSubscriptionRequestAsync(ct)).From!, ct);
        await watcher.NextPresenceAsync(p => p.Type == PresenceType.Subscribed && p.From?.Bare == contact.Jid, ct);
    }
}
