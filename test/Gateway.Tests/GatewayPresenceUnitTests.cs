using System.Xml.Linq;
using Actors.Gateway.Xmpp;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.Gateway.Tests;

/// <summary>The gateway's presence payload codec and when a sample is worth republishing (DESIGN §9).</summary>
public sealed class GatewayPresenceUnitTests
{
    private static readonly GatewayPayload Payload = new("gw-1", "http://127.0.0.1:5080/", 10);

    [Fact]
    public void Payload_RoundTripsThroughAPresence()
    {
        var presence = new XElement("presence", Payload.ToElement());
        GatewayPayload.TryFind(presence, out var read).Should().BeTrue();
        read.Should().Be(Payload);
        GatewayPayload.TryFind(new XElement("presence"), out _).Should().BeFalse();
    }

    [Fact]
    public void Changed_OnFirstSampleShowReasonOrBigRateMove_NotOnSmallRateMoveOrReadyStatusText()
    {
        var ready = (PresenceShow.None, "ready · 1 active silo(s) · 10 req/s", Payload);
        GatewayXmppService.Changed(null, ready).Should().BeTrue();
        GatewayXmppService.Changed(ready, (PresenceShow.Dnd, "not ready: no silo", Payload)).Should().BeTrue();
        GatewayXmppService.Changed(ready, (PresenceShow.None, "ready · 11 req/s", Payload with { RequestsPerSecond = 11 })).Should().BeFalse();
        GatewayXmppService.Changed(ready, (PresenceShow.None, "ready · 20 req/s", Payload with { RequestsPerSecond = 20 })).Should().BeTrue();
        var dnd = (PresenceShow.Dnd, "not ready: a", Payload);
        GatewayXmppService.Changed(dnd, (PresenceShow.Dnd, "not ready: b", Payload)).Should().BeTrue();
    }
}
