using System.Globalization;
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
public sealed class GatewayPresenceTests(BridgeClusterFixture cluster)
{
    private static readonly XName Gateway = XName.Get("gateway", "urn:actors:1");

    [Fact]
    public async Task Watcher_SeesGatewayAvailableWithPayload_DndWithoutSilo_AvailableWhenASiloReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        const string clusterId = "gw-presence";
        var siloOverrides = new Dictionary<string, string?> { ["Actors:ClusterId"] = clusterId, ["Actors:Xmpp:Jid"] = $"solo@{cluster.Domain}", ["Actors:Xmpp:Password"] = BridgeClusterFixture.PasswordOf("solo") };
        var silo = await cluster.StartSiloAsync("gw-silo-1", siloOverrides);
        await using var gateway = await GatewayProcess.StartAsync(new GatewayProcessOptions
        {
            Redis = cluster.Redis.ConnectionString,
            ClusterId = clusterId,
            Environment = new Dictionary<string, string?>
            {
                ["Gateway__Xmpp__Jid"] = $"gateway@{cluster.Domain}",
                ["Gateway__Xmpp__Password"] = BridgeClusterFixture.PasswordOf("gateway"),
                ["Gateway__Xmpp__Host"] = cluster.Prosody.Host,
                ["Gateway__Xmpp__Port"] = cluster.Prosody.Port.ToString(CultureInfo.InvariantCulture),
                ["Gateway__Xmpp__TrustedCertificatePath"] = cluster.Prosody.CertificatePath,
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
}
