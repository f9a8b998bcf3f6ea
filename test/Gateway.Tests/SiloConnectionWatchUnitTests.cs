using Actors.Gateway.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Gateway.Tests;

public sealed class SiloConnectionWatchUnitTests
{
    [Fact]
    public void ConnectionLost_GatewayCountDrops_CancelsTokensReadBeforeOnly()
    {
        var watch = new SiloConnectionWatch(NullLogger<SiloConnectionWatch>.Instance);
        var before = watch.ConnectionLost;

        watch.NotifyGatewayCountChanged(currentNumberOfGateways: 2, previousNumberOfGateways: 3, connectionRecovered: false);

        before.IsCancellationRequested.Should().BeTrue("a call in flight when a connection drops may have used it");
        watch.ConnectionLost.IsCancellationRequested.Should().BeFalse("calls started afterwards use the remaining connections");
    }

    [Fact]
    public void ConnectionLost_GatewayCountRises_LeavesCallsAlone()
    {
        var watch = new SiloConnectionWatch(NullLogger<SiloConnectionWatch>.Instance);
        var before = watch.ConnectionLost;

        watch.NotifyGatewayCountChanged(currentNumberOfGateways: 3, previousNumberOfGateways: 2, connectionRecovered: true);

        before.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void IsUnavailable_SiloConnectionLost_IsUnavailable()
    {
        ClusterFailures.IsUnavailable(new SiloConnectionLostException()).Should().BeTrue();
    }
}
