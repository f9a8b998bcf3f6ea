using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>Restarts its own Prosody, so it cannot disturb tests sharing a server.</summary>
public sealed class ProsodyRestartTests
{
    [Fact]
    public async Task Restart_ServerStopsAndStarts_ClientReconnectsAndPresenceIsRestored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls }, ct);
        await prosody.RegisterAsync("alice", "alice-pw", ct);
        await prosody.RegisterAsync("bob", "bob-pw", ct);
        await using var alice = await TestClient.ConnectAsync(prosody, "alice", "alice-pw", ct);
        await using var bob = await TestClient.ConnectAsync(prosody, "bob", "bob-pw", ct);

        // bob subscribes to alice's presence; alice publishes hers.
        await bob.Client.SetPresenceAsync(cancellationToken: ct);
        await alice.Client.SetPresenceAsync(PresenceShow.Away, "joining", cancellationToken: ct);
        await bob.Client.SubscribeAsync(alice.Jid, ct);
        await alice.Client.ApproveSubscriptionAsync((await alice.NextSubscriptionRequestAsync(ct)).From!, ct);
        await bob.NextPresenceAsync(p => p.From?.Bare == alice.Jid && p.Type == PresenceType.Available, ct);
        await alice.Client.SetPresenceAsync(PresenceShow.None, "active", cancellationToken: ct);
        await bob.NextPresenceAsync(p => p.From?.Bare == alice.Jid && p.Status == "active", ct);

        await prosody.StopAsync(ct);
        await alice.NextStateAsync(s => s.State == XmppConnectionState.Reconnecting, ct);
        await prosody.StartAsync(ct);

        var reconnected = await alice.NextStateAsync(s => s.State == XmppConnectionState.Connected, ct, TimeSpan.FromSeconds(30));
        reconnected.Resumed.Should().BeFalse("the restarted server lost the old session");
        await bob.NextStateAsync(s => s.State == XmppConnectionState.Connected, ct, TimeSpan.FromSeconds(30));

        // alice re-published her last presence on the fresh session; bob (also reconnected) sees it.
        var restored = await bob.NextPresenceAsync(p => p.From?.Bare == alice.Jid && p.Type == PresenceType.Available && p.Status == "active", ct, TimeSpan.FromSeconds(30));
        restored.Show.Should().Be(PresenceShow.None);
        alice.Client.State.Should().Be(XmppConnectionState.Connected);
    }
}
