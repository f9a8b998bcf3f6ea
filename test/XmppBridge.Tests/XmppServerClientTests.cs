namespace Actors.XmppBridge.Tests;

/// <summary>
/// The client scenarios every server must pass, so the client is not shaped to one server; each server's class adds
/// what only it exercises.
/// </summary>
public abstract class XmppServerClientTests<TFixture, TServer>(TFixture server)
    where TFixture : XmppServerFixture<TServer>
    where TServer : Actors.TestInfrastructure.Xmpp.IXmppTestServer
{
    protected TFixture Fixture { get; } = server;

    [Fact]
    public async Task Connect_StartTlsAndScram_BindsResourceWithStreamManagement()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, password) = await Fixture.NewUserAsync("login", ct);
        await XmppScenarios.LoginAsync(Fixture.Server, user, password, ct);
    }

    [Fact]
    public async Task Presence_SubscriptionApproved_BothSeePresenceWithExtension()
    {
        var ct = TestContext.Current.CancellationToken;
        var (alice, bob) = await Fixture.ConnectPairAsync("alice", "bob", ct);
        await using (alice)
        await using (bob)
        {
            await XmppScenarios.PresenceWithApprovedSubscriptionAsync(alice, bob, ct);
        }
    }

    [Fact]
    public async Task Message_WithReceiptRequest_ReceiptComesBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var (alice, bob) = await Fixture.ConnectPairAsync("alice", "bob", ct);
        await using (alice)
        await using (bob)
        {
            await XmppScenarios.MessageWithReceiptAsync(alice, bob, ct);
        }
    }

    [Fact]
    public async Task Iq_RoundTrip_HandlerAnswersAndUnhandledGetsServiceUnavailable()
    {
        var ct = TestContext.Current.CancellationToken;
        var (alice, bob) = await Fixture.ConnectPairAsync("alice", "bob", ct);
        await using (alice)
        await using (bob)
        {
            await XmppScenarios.IqRoundTripAsync(alice, bob, ct);
        }
    }

    /// <summary>
    /// Issue 14: a node that dies must look dead within 1 s. A session with stream management but no resumption (what
    /// the silos use) is ended by the server as soon as its TCP connection breaks; the abort resets the socket as a
    /// killed process's kernel would.
    /// </summary>
    [Fact]
    public async Task Crash_SessionWithoutResumption_WatcherSeesUnavailableWithinOneSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        var (n, np) = await Fixture.NewUserAsync("node", ct);
        var (w, wp) = await Fixture.NewUserAsync("watcher", ct);
        await using var node = await TestClient.ConnectAsync(Fixture.Server, n, np, ct, o =>
        {
            o.ResumptionWindow = TimeSpan.Zero;
            o.ReconnectMinDelay = TimeSpan.FromSeconds(10); // the watcher must see the death, not a quick return
        });
        await using var watcher = await TestClient.ConnectAsync(Fixture.Server, w, wp, ct);
        node.Client.IsStreamManagementEnabled.Should().BeTrue("acks still tell which messages to send again");
        await XmppScenarios.PresenceWithApprovedSubscriptionAsync(watcher, node, ct);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        node.Client.DropConnectionForTest();
        await watcher.NextPresenceAsync(p => p.From?.Bare == node.Jid && p.Type == Actors.XmppBridge.Client.Stanzas.PresenceType.Unavailable, ct, TimeSpan.FromSeconds(10));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        TestContext.Current.TestOutputHelper?.WriteLine($"{Fixture.Server.Kind}: unavailable {elapsed.TotalMilliseconds:N0} ms after the connection was reset");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }
}
