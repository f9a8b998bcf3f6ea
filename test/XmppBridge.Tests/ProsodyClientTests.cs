using System.Globalization;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>The client against a real Prosody with STARTTLS and SCRAM: the shared scenarios and the rest.</summary>
public sealed class ProsodyClientTests(ProsodyFixture fixture)
    : XmppServerClientTests<ProsodyFixture, ProsodyServer>(fixture), IClassFixture<ProsodyFixture>
{
    [Fact]
    public async Task Connect_WrongPassword_ThrowsAuthenticationErrorNamingCondition()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, _) = await Fixture.NewUserAsync("badpw", ct);
        var act = () => TestClient.ConnectAsync(Fixture.Server, user, "wrong", ct);
        (await act.Should().ThrowAsync<XmppAuthenticationException>()).Which.Condition.Should().Be("not-authorized");
    }

    [Fact]
    public async Task Connect_TraceLog_ShowsTheStreamButNeverTheSaslExchange()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, password) = await Fixture.NewUserAsync("tracelog", ct);
        var logger = new CapturingLogger();
        await using var client = new XmppClient(TestClient.Options(Fixture.Server, user, password), logger);

        await client.ConnectAsync(ct);

        var lines = logger.Lines;
        lines.Should().Contain(l => l.StartsWith("XMPP sent", StringComparison.Ordinal), "trace logging is on");
        var sasl = lines.Where(l => l.Contains("xmpp-sasl", StringComparison.Ordinal) && (l.Contains("<auth", StringComparison.Ordinal) || l.Contains("<response", StringComparison.Ordinal) || l.Contains("<challenge", StringComparison.Ordinal) || l.Contains("<success", StringComparison.Ordinal))).ToList();
        sasl.Should().NotBeEmpty("the SCRAM exchange is logged, redacted");
        sasl.Should().OnlyContain(l => l.Contains("[SASL payload redacted]"), "salt, nonces and proof would allow an offline guess at the password");
        string.Join('\n', lines).Should().NotContain(password).And.NotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"n,,n={user}")));
    }

    private sealed class CapturingLogger : Microsoft.Extensions.Logging.ILogger<XmppClient>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }

    [Fact]
    public async Task Connect_UntrustedCertificate_Fails()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, password) = await Fixture.NewUserAsync("untrusted", ct);
        var act = () => TestClient.ConnectAsync(Fixture.Server, user, password, ct, o => o.TrustedCertificate = null);
        await act.Should().ThrowAsync<Exception>();
    }

    [Fact]
    public async Task Presence_SubscriptionDenied_RequesterGetsUnsubscribed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (carol, dave) = await Fixture.ConnectPairAsync("carol", "dave", ct);
        await using var disposeCarol = carol;
        await using var disposeDave = dave;
        await carol.Client.SetPresenceAsync(cancellationToken: ct);
        await dave.Client.SetPresenceAsync(cancellationToken: ct);

        await carol.Client.SubscribeAsync(dave.Jid, ct);
        var request = await dave.NextSubscriptionRequestAsync(ct);
        await dave.Client.DenySubscriptionAsync(request.From!, ct);

        await carol.NextPresenceAsync(p => p.Type == PresenceType.Unsubscribed && p.From?.Bare == dave.Jid, ct);
        var roster = await carol.Client.GetRosterAsync(ct);
        roster.Where(i => i.Jid == dave.Jid).Should().OnlyContain(i => i.Subscription == "none" && !i.PendingOut);
    }

    [Fact]
    public async Task Ping_ServerAndPeer_Answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var (alice, bob) = await Fixture.ConnectPairAsync("alice", "bob", ct);
        await using var disposeAlice = alice;
        await using var disposeBob = bob;

        (await alice.Client.PingAsync(cancellationToken: ct)).Should().BePositive();
        (await alice.Client.PingAsync(bob.FullJid, ct)).Should().BePositive();
    }

    [Fact]
    public async Task KeepAlive_IdleConnection_PingsAndStaysConnected()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, ap) = await Fixture.NewUserAsync("idle", ct);
        await using var alice = await TestClient.ConnectAsync(Fixture.Server, a, ap, ct, o => o.PingInterval = TimeSpan.FromMilliseconds(300));

        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        alice.Client.State.Should().Be(XmppConnectionState.Connected);
        alice.Client.StreamManagementForTest.Acked.Should().BeGreaterThan(0u, "keep-alive pings were sent and acknowledged");
    }

    [Fact]
    public async Task Resume_AfterDroppedTcpConnection_NoStanzaLostEitherWay()
    {
        var ct = TestContext.Current.CancellationToken;
        var (alice, bob) = await Fixture.ConnectPairAsync("alice", "bob", ct);
        await using var disposeAlice = alice;
        await using var disposeBob = bob;
        const int Count = 40;

        // Both directions in flight while alice's TCP connection dies without a closing handshake.
        for (var i = 0; i < Count; i++)
        {
            await bob.Client.SendAsync(new Message(alice.FullJid, "to-alice " + i.ToString(CultureInfo.InvariantCulture)), ct);
            await alice.Client.SendAsync(new Message(bob.FullJid, "to-bob " + i.ToString(CultureInfo.InvariantCulture)), ct);
            if (i == Count / 2)
            {
                alice.Client.DropConnectionForTest();
            }
        }

        await alice.NextStateAsync(s => s.State == XmppConnectionState.Reconnecting, ct);
        var resumed = await alice.NextStateAsync(s => s.State == XmppConnectionState.Connected, ct);
        resumed.Resumed.Should().BeTrue();

        var toAlice = new List<string>();
        var toBob = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            toAlice.Add((await alice.NextMessageAsync(m => m.Body?.StartsWith("to-alice", StringComparison.Ordinal) == true, ct)).Body!);
            toBob.Add((await bob.NextMessageAsync(m => m.Body?.StartsWith("to-bob", StringComparison.Ordinal) == true, ct)).Body!);
        }

        toAlice.Should().Equal(Enumerable.Range(0, Count).Select(i => "to-alice " + i.ToString(CultureInfo.InvariantCulture)));
        toBob.Should().Equal(Enumerable.Range(0, Count).Select(i => "to-bob " + i.ToString(CultureInfo.InvariantCulture)));

        // Nothing duplicated either: a round trip after the burst finds the queues empty.
        await alice.Client.PingAsync(bob.FullJid, ct);
        var extra = () => alice.NextMessageAsync(m => m.Body?.StartsWith("to-alice", StringComparison.Ordinal) == true, ct, TimeSpan.FromSeconds(1));
        await extra.Should().ThrowAsync<TimeoutException>();
    }
}
