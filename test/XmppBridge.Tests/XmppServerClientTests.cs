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
}
