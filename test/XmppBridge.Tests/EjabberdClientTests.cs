namespace Actors.XmppBridge.Tests;

/// <summary>The same scenarios as against Prosody, against ejabberd, so the client is not shaped to one server.</summary>
public sealed class EjabberdClientTests(EjabberdFixture ejabberd) : IClassFixture<EjabberdFixture>
{
    [Fact]
    public async Task Connect_StartTlsAndScram_BindsResourceWithStreamManagement()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, password) = await ejabberd.NewUserAsync("login", ct);
        await XmppScenarios.LoginAsync(ejabberd.Server, user, password, ct);
    }

    [Fact]
    public async Task Presence_SubscriptionApproved_BothSeePresenceWithExtension()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, ap) = await ejabberd.NewUserAsync("alice", ct);
        var (b, bp) = await ejabberd.NewUserAsync("bob", ct);
        await using var alice = await TestClient.ConnectAsync(ejabberd.Server, a, ap, ct);
        await using var bob = await TestClient.ConnectAsync(ejabberd.Server, b, bp, ct);

        await XmppScenarios.PresenceWithApprovedSubscriptionAsync(alice, bob, ct);
    }

    [Fact]
    public async Task Message_WithReceiptRequest_ReceiptComesBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, ap) = await ejabberd.NewUserAsync("alice", ct);
        var (b, bp) = await ejabberd.NewUserAsync("bob", ct);
        await using var alice = await TestClient.ConnectAsync(ejabberd.Server, a, ap, ct);
        await using var bob = await TestClient.ConnectAsync(ejabberd.Server, b, bp, ct);

        await XmppScenarios.MessageWithReceiptAsync(alice, bob, ct);
    }

    [Fact]
    public async Task Iq_RoundTrip_HandlerAnswersAndUnhandledGetsServiceUnavailable()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, ap) = await ejabberd.NewUserAsync("alice", ct);
        var (b, bp) = await ejabberd.NewUserAsync("bob", ct);
        await using var alice = await TestClient.ConnectAsync(ejabberd.Server, a, ap, ct);
        await using var bob = await TestClient.ConnectAsync(ejabberd.Server, b, bp, ct);

        await XmppScenarios.IqRoundTripAsync(alice, bob, ct);
    }
}
