using System.Diagnostics;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>
/// A client given several servers (issue 14): two independent Prosody instances with the same accounts stand in for
/// two nodes of a cluster — enough for the client's side, which only needs a second server to log in to. Plaintext on
/// loopback, because each fixture makes its own self-signed certificate and a client trusts one.
/// </summary>
public sealed class MultiHomedClientTests : IAsyncLifetime
{
    private static readonly ProsodyServerOptions Plain = new() { Security = XmppSecurity.Plaintext };
    private ProsodyServer _a = null!;
    private ProsodyServer _b = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = ProsodyServer.StartNewAsync(Plain, ct);
        var b = ProsodyServer.StartNewAsync(Plain, ct);
        (_a, _b) = (await a, await b);
        foreach (var server in new[] { _a, _b })
        {
            foreach (var user in new[] { "alice", "bob" })
            {
                await server.RegisterAsync(user, user + "-pw", ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Connect_FirstServerDown_ConnectsToTheNext()
    {
        var ct = TestContext.Current.CancellationToken;
        var down = new XmppServerEndpoint("127.0.0.1", FreePort.Allocate()); // nothing listens there

        await using var alice = await TestClient.ConnectAsync(_b, "alice", "alice-pw", ct, o => UseServers(o, down, Endpoint(_b)));

        alice.Client.State.Should().Be(XmppConnectionState.Connected);
        alice.Client.CurrentServer.Should().Be(Endpoint(_b));
    }

    [Fact]
    public async Task Connect_AllServersDown_FailsNamingThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var down1 = new XmppServerEndpoint("127.0.0.1", FreePort.Allocate());
        var down2 = new XmppServerEndpoint("127.0.0.1", FreePort.Allocate());

        var act = () => TestClient.ConnectAsync(_a, "alice", "alice-pw", ct, o => UseServers(o, down1, down2));

        (await act.Should().ThrowAsync<XmppException>()).Which.Message.Should().Contain(down1.ToString()).And.Contain(down2.ToString());
    }

    [Fact]
    public async Task ServerKilled_ClientMovesToTheOtherAndRepublishesPresence()
    {
        var ct = TestContext.Current.CancellationToken;
        // On b, bob subscribes to alice once, so b will show bob alice's presence when she arrives there.
        await using var bob = await TestClient.ConnectAsync(_b, "bob", "bob-pw", ct, o => o.Jid = Jid.Parse($"bob@{_b.Domain}/watcher"));
        await bob.Client.SetPresenceAsync(cancellationToken: ct);
        await using (var aliceOnB = await TestClient.ConnectAsync(_b, "alice", "alice-pw", ct, o => o.Jid = Jid.Parse($"alice@{_b.Domain}/setup")))
        {
            await aliceOnB.Client.SetPresenceAsync(cancellationToken: ct); // requests go to available resources only
            await bob.Client.SubscribeAsync(aliceOnB.Jid, ct);
            await aliceOnB.Client.ApproveSubscriptionAsync((await aliceOnB.NextSubscriptionRequestAsync(ct)).From!, ct);
            await bob.NextPresenceAsync(p => p.Type == PresenceType.Subscribed && p.From?.Bare == aliceOnB.Jid, ct);
        }

        await using var alice = await TestClient.ConnectAsync(_a, "alice", "alice-pw", ct, o =>
        {
            o.Jid = Jid.Parse($"alice@{_a.Domain}/node");
            o.ResumptionWindow = TimeSpan.Zero;
            UseServers(o, Endpoint(_a), Endpoint(_b));
        });
        alice.Client.CurrentServer.Should().Be(Endpoint(_a), "the list is ordered so that this JID starts on a");
        await alice.Client.SetPresenceAsync(PresenceShow.None, "serving", cancellationToken: ct);

        _a.Kill();
        var killed = Stopwatch.GetTimestamp();
        await alice.NextStateAsync(s => s.State == XmppConnectionState.Reconnecting, ct);
        var back = await alice.NextStateAsync(s => s.State == XmppConnectionState.Connected, ct);
        var reconnected = Stopwatch.GetElapsedTime(killed);
        var seen = await bob.NextPresenceAsync(p => p.From == Jid.Parse($"alice@{_b.Domain}/node") && p.Type == PresenceType.Available, ct);
        var visible = Stopwatch.GetElapsedTime(killed);

        back.Resumed.Should().BeFalse("the other server never had the session");
        alice.Client.CurrentServer.Should().Be(Endpoint(_b));
        seen.Status.Should().Be("serving", "the last presence is published again on the new server");
        await alice.Client.SendAsync(new Message(bob.FullJid, "after the move"), ct);
        (await bob.NextMessageAsync(m => m.Body == "after the move", ct)).From!.Bare.Should().Be(alice.Jid);
        TestContext.Current.TestOutputHelper?.WriteLine($"server killed → connected to the other {reconnected.TotalMilliseconds:N0} ms, presence seen there {visible.TotalMilliseconds:N0} ms");
        reconnected.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    private static XmppServerEndpoint Endpoint(ProsodyServer server) => new(server.Host, server.Port);

    /// <summary>Lists <paramref name="first"/> where the client's JID hash starts, so the test knows which it tries first.</summary>
    private static void UseServers(XmppClientOptions options, XmppServerEndpoint first, XmppServerEndpoint second)
    {
        options.Servers.Clear();
        var start = XmppClient.FirstServerIndex(options.Jid, 2);
        options.Servers.Add(start == 0 ? first : second);
        options.Servers.Add(start == 0 ? second : first);
    }
}
