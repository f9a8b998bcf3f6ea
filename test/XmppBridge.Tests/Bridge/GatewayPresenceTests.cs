using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Actors.TestInfrastructure.Silos;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// The real gateway executable as a Jabber client (DESIGN §9, issue 13): available with its <c>&lt;gateway/&gt;</c>
/// payload while its own cluster has a silo, dnd when that silo is gone, available again when a silo returns.
/// Its cluster is a separate ClusterId on the fixture's Redis, so stopping its silo leaves the shared silos alone.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class GatewayPresenceTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly XName Gateway = XName.Get("gateway", "urn:actors:1");

    [Fact]
    public async Task Watcher_SeesGatewayAvailableWithPayload_DndWithoutSilo_AvailableWhenASiloReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        const string clusterId = "gw-presence";
        var siloOverrides = new Dictionary<string, string?>
        {
            ["Actors:ClusterId"] = clusterId,
            ["Actors:Xmpp:Jid"] = $"solo@{cluster.Domain}",
            ["Actors:Xmpp:Password"] = BridgeClusterFixture.PasswordOf("solo"),
            // The gateway is a node this silo lists (status, /v1/cluster): the silo asks for its presence.
            ["Actors:Xmpp:Nodes:0"] = $"gateway@{cluster.Domain}",
        };
        var silo = await cluster.StartSiloAsync("gw-silo-1", siloOverrides);
        await using var gateway = await GatewayProcess.StartAsync(new GatewayProcessOptions
        {
            Redis = cluster.Redis.ConnectionString,
            ClusterId = clusterId,
            Environment = new Dictionary<string, string?>
            {
                ["Gateway__Xmpp__Jid"] = $"gateway@{cluster.Domain}",
                ["Gateway__Xmpp__Password"] = BridgeClusterFixture.PasswordOf("gateway"),
                ["Gateway__Xmpp__Host"] = cluster.Xmpp.Host,
                ["Gateway__Xmpp__Port"] = cluster.Xmpp.Port.ToString(CultureInfo.InvariantCulture),
                ["Gateway__Xmpp__TrustedCertificatePath"] = cluster.Xmpp.CertificatePath,
                ["Gateway__Xmpp__Name"] = "gw-1",
                ["Gateway__Xmpp__Url"] = "http://gw-1.example:8080/",
                ["Gateway__Xmpp__Interval"] = "00:00:01",
            },
        }, ct);
        try
        {
            await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "gateway-presence", cancellationToken: ct);
            var jid = Jid.Parse($"gateway@{cluster.Domain}/gw-1");
            await ops.Client.SubscribeAsync(jid.Bare, ct);

            var available = await ops.WaitForAsync<Presence>(
                p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None && p.Element.Element(Gateway) is not null,
                timeout: TimeSpan.FromSeconds(90), cancellationToken: ct);
            var payload = available.Element.Element(Gateway)!;
            ((string?)payload.Attribute("name")).Should().Be("gw-1");
            ((string?)payload.Attribute("url")).Should().Be("http://gw-1.example:8080/");
            int.Parse((string)payload.Attribute("rps")!, CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0);

            // DESIGN §9: the silo's status lists the gateway with its presence and URL, and so does /v1/cluster.
            var siloJid = Jid.Parse($"solo@{cluster.Domain}/gw-silo-1");
            var status = await EventuallyAsync(() => ops.ChatAsync(siloJid, "status", cancellationToken: ct), text => text.Contains("gateways (1):", StringComparison.Ordinal), ct);
            status.Should().MatchRegex(@"\n  gw-1  available\s+http://gw-1\.example:8080/  gateway@[^/]+/gw-1");
            status.Should().Contain("agents: none seen");
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            var listed = await EventuallyAsync(async () => JsonNode.Parse(await http.GetStringAsync("v1/cluster", ct))!, body => body["gateways"]!.AsArray().Count == 1, ct);
            var gw = listed["gateways"]![0]!;
            ((string?)gw["name"]).Should().Be("gw-1");
            ((string?)gw["jid"]).Should().Be(jid.ToString());
            ((string?)gw["show"]).Should().Be("available");
            ((string?)gw["url"]).Should().Be("http://gw-1.example:8080/");
            listed["agents"]!.AsArray().Should().BeEmpty();

            var mark = ops.Mark;
            await silo.StopAsync(ct);
            silo.Dispose();
            var dnd = await ops.WaitForAsync<Presence>(
                p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.Dnd,
                mark, timeout: TimeSpan.FromSeconds(120), cancellationToken: ct);
            dnd.Status.Should().StartWith("not ready");
            dnd.Element.Element(Gateway).Should().NotBeNull();

            mark = ops.Mark;
            silo = await cluster.StartSiloAsync("gw-silo-2", siloOverrides);
            await ops.WaitForAsync<Presence>(
                p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None,
                mark, timeout: TimeSpan.FromSeconds(120), cancellationToken: ct);
        }
        finally
        {
            await gateway.StopAsync(CancellationToken.None);
            await silo.StopAsync(CancellationToken.None);
            silo.Dispose();
        }
    }

    /// <summary>Asks again every 500 ms until <paramref name="done"/> holds (presence and registry reports take a moment), for up to 30 s.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> ask, Func<T, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var answer = await ask();
            if (done(answer) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(500, ct);
        }
    }
}
