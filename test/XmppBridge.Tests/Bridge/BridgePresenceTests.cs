using System.Xml.Linq;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

public abstract class BridgePresenceTests(BridgeClusterFixture cluster)
{
    private static readonly XName Silo = XName.Get("silo", "urn:actors:1");

    [Fact]
    public async Task Operator_SubscribesToSilos_SeesEachAvailableWithSiloPayloadAndStatusLine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "presence", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);

        foreach (var silo in new[] { cluster.SiloA, cluster.SiloB })
        {
            var presence = await ops.WaitForAsync<Presence>(
                // A silo that came up first may publish "1 silos" before the other joins; the change is republished at once.
                p => p.From == silo && p.Type == PresenceType.Available && p.Show == PresenceShow.None
                    && (string?)p.Element.Element(Silo)?.Attribute("cluster-size") is { } size && size != "1",
                cancellationToken: ct);
            var payload = presence.Element.Element(Silo)!;
            ((string?)payload.Attribute("name")).Should().Be(silo.Resource);
            ((string?)payload.Attribute("status")).Should().Be("Active");
            payload.Attribute("address").Should().BeNull("internal addresses are not shown to every watcher unless Actors:Xmpp:PresenceAddresses is on");
            int.Parse((string)payload.Attribute("cluster-size")!, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(2);
            payload.Attribute("version").Should().NotBeNull();
            presence.Status.Should().MatchRegex(@"^Active · ([\d,]+ activations? · CPU \d+% · )?\d+ silos$");
        }
    }

    [Fact]
    public async Task PresenceRegistry_EverySiloBridge_ReportsItsJidAndShowForTheGateway()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = cluster.Grains.GetGrain<Actors.Contracts.ISiloPresenceRegistryGrain>(Actors.Contracts.ISiloPresenceRegistryGrain.Key);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        System.Collections.Immutable.ImmutableArray<Actors.Contracts.SiloXmppPresence> reports = [];
        while (DateTime.UtcNow < deadline)
        {
            reports = await registry.GetAllAsync();
            if (new[] { cluster.SiloA, cluster.SiloB }.All(jid => reports.Any(r => r.Jid == jid.ToString() && r.Show == "available")))
            {
                break;
            }
            await Task.Delay(200, ct);
        }

        foreach (var silo in new[] { cluster.SiloA, cluster.SiloB })
        {
            var report = reports.Should().ContainSingle(r => r.Jid == silo.ToString()).Subject;
            report.Show.Should().Be("available");
            report.Status.Should().StartWith("Active");
            report.SiloAddress.Should().StartWith("S127.0.0.1:");
        }
    }

    [Fact]
    public async Task StartingSilo_GoesFromJoiningToAvailable_NeverDndOnTheWay()
    {
        // Storage connects while a silo starts: a probe before then must not show the new silo as degraded.
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "starting", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        var jid = cluster.SiloJid("silo-s");
        var mark = ops.Mark;
        using var silo = await cluster.StartSiloAsync("silo-s");
        try
        {
            await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, mark, TimeSpan.FromSeconds(60), ct);

            var seen = ops.Received<Presence>(mark).Where(p => p.From == jid).ToList();
            TestOutput.Record("presence of a starting silo", string.Join('\n', seen.Select(p => $"{p.Type} {p.Show} {p.Status}")));
            seen.Should().NotContain(p => p.Show == PresenceShow.Dnd, "a starting silo is Joining (away), then Active; its storage was never unreachable");
        }
        finally
        {
            await silo.StopAsync(ct);
        }
    }

    [Fact]
    public async Task NonWatcher_Subscribes_IsRefused()
    {
        // eve@localhost is a watcher by default (same domain); a silo whose watchers are ops only refuses her.
        var ct = TestContext.Current.CancellationToken;
        using var silo = await cluster.StartSiloAsync("silo-w", new Dictionary<string, string?>
        {
            ["Actors:Xmpp:Jid"] = $"solo@{cluster.Domain}",
            ["Actors:Xmpp:Password"] = BridgeClusterFixture.PasswordOf("solo"),
            ["Actors:Xmpp:Watchers:0"] = $"ops@{cluster.Domain}",
        });
        try
        {
            await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "refused", cancellationToken: ct);
            var mark = eve.Mark;
            await eve.Client.SubscribeAsync(Jid.Parse($"solo@{cluster.Domain}"), ct);
            // Prosody turns the silo's <presence type="unsubscribed"/> into an unsubscribed or an unavailable from the
            // bare JID (it forwards the former only when eve's roster changed); either way no presence is shared.
            var solo = Jid.Parse($"solo@{cluster.Domain}");
            await eve.WaitForAsync<Presence>(p => p.From == solo && p.Type is PresenceType.Unsubscribed or PresenceType.Unavailable, mark, cancellationToken: ct);
            var shared = async () => await eve.WaitForAsync<Presence>(p => p.From?.Bare == solo && p.Type == PresenceType.Available, mark, TimeSpan.FromSeconds(2), ct);
            await shared.Should().ThrowAsync<TimeoutException>("a refused subscriber never sees the silo's presence");
        }
        finally
        {
            await silo.StopAsync(ct);
        }
    }
}
