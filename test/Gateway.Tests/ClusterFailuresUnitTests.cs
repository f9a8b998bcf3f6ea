using Actors.Gateway.Cluster;

namespace Actors.Gateway.Tests;

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
    public void IsUnavailable_ProgrammingError_IsNot()
    {
        ClusterFailures.IsUnavailable(new InvalidOperationException("bug")).Should().BeFalse();
        ClusterFailures.IsUnavailable(new ArgumentNullException("x")).Should().BeFalse();
    }
}
