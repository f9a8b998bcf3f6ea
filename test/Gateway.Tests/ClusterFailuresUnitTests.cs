using Actors.Gateway.Cluster;

namespace Actors.Gateway.Tests;

/// <summary>The gateway's own layer over <see cref="Actors.Contracts.TransientFailures"/>: its exceptions, and the 503's wording.</summary>
public sealed class ClusterFailuresUnitTests
{
    [Fact]
    public void IsUnavailable_OrleansExceptionFromFailedActivation_IsUnavailable()
    {
        // What a call to an inactive root throws while Redis is down: its activation cannot read state.
        var activationFailure = new OrleansException("Error from storage provider during ReadStateAsync", new IOException("Redis is down"));
        ClusterFailures.IsUnavailable(activationFailure).Should().BeTrue();
    }

    [Fact]
    public void IsUnavailable_WrappedTimeout_IsUnavailable()
    {
        ClusterFailures.IsUnavailable(new AggregateException(new TimeoutException())).Should().BeTrue();
    }

    [Fact]
    public void IsUnavailable_GatewayOwnFailures_AreUnavailableEvenWrapped()
    {
        ClusterFailures.IsUnavailable(new ClusterNotConnectedException()).Should().BeTrue();
        ClusterFailures.IsUnavailable(new AggregateException(new SiloConnectionLostException())).Should().BeTrue();
    }

    [Fact]
    public void IsUnavailable_ProgrammingError_IsNot()
    {
        ClusterFailures.IsUnavailable(new InvalidOperationException("bug")).Should().BeFalse();
        ClusterFailures.IsUnavailable(new ArgumentNullException("x")).Should().BeFalse();
    }

    [Fact]
    public void Describe_GatewayOwnFailure_IsItsMessage()
    {
        var lost = new SiloConnectionLostException();

        ClusterFailures.Describe(new AggregateException(lost)).Should().Be(lost.Message);
    }

    [Fact]
    public void Describe_SharedFailure_AddsHowToRetryOverHttp()
    {
        var detail = ClusterFailures.Describe(new AggregateException(new TimeoutException()));

        detail.Should().Contain("did not answer in time").And.Contain("Retry-After").And.Contain("Idempotency-Key");
    }
}
