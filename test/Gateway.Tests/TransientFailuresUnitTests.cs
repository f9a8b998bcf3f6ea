using Actors.Contracts;
using Orleans.Runtime.Messaging;
using StackExchange.Redis;

namespace Actors.Gateway.Tests;

/// <summary>The transport-failure classification every front end shares (src/Contracts).</summary>
public sealed class TransientFailuresUnitTests
{
    // OrleansMessageRejectionException and ClientNotAvailableException have no public constructor; the first is
    // covered through SiloUnavailableException, which derives from it.
    public static TheoryData<Exception> Transient => new()
    {
        new SiloUnavailableException(),
        new GatewayTooBusyException(),
        new ConnectionFailedException("refused"),
        new TimeoutException(),
        // What a call to an inactive root throws while Redis is down: its activation cannot read state.
        new OrleansException("Error from storage provider during ReadStateAsync", new IOException("Redis is down")),
        // Redis itself, reaching the caller unwrapped while a node fails over (a fault scenario saw a 500 for one).
        new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed on 127.0.0.1:7101/Interactive"),
        new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent),
        new RedisServerException("CLUSTERDOWN The cluster is down"),
        new RedisServerException("TRYAGAIN Multiple keys request during rehashing of slot"),
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void IsTransient_OrleansTransportFailures_AreTransient(Exception exception)
    {
        TransientFailures.IsTransient(exception).Should().BeTrue();
    }

    [Fact]
    public void IsTransient_WrappedTimeout_IsTransientAndFoundAsTheCause()
    {
        var timeout = new TimeoutException();
        var wrapped = new AggregateException(new InvalidOperationException("first"), new InvalidOperationException("outer", timeout));

        TransientFailures.IsTransient(wrapped).Should().BeTrue();
        TransientFailures.Find(wrapped).Should().BeSameAs(timeout);
        TransientFailures.Describe(wrapped).Should().Contain("in time");
    }

    [Fact]
    public void IsTransient_ProgrammingErrorsAndCancellation_AreNot()
    {
        TransientFailures.IsTransient(new InvalidOperationException("bug")).Should().BeFalse();
        TransientFailures.IsTransient(new ArgumentNullException("x")).Should().BeFalse();
        TransientFailures.IsTransient(new OperationCanceledException()).Should().BeFalse();
        TransientFailures.IsTransient(new AggregateException(new InvalidOperationException("bug"))).Should().BeFalse();
        TransientFailures.IsTransient(new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value")).Should().BeFalse("a wrong command is a bug, not a failover");
    }

    [Fact]
    public void IsTransient_CallersOwnTransportException_CountsOnlyWhenAskedFor()
    {
        var own = new AggregateException(new IOException("the caller's connection dropped"));

        TransientFailures.IsTransient(own).Should().BeFalse();
        TransientFailures.IsTransient(own, exception => exception is IOException).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Transient))]
    public void Describe_TransientFailure_IsOneSentenceWithoutInternals(Exception exception)
    {
        var text = TransientFailures.Describe(exception);

        text.Should().MatchRegex("^(The|A) ");
        text.Should().EndWith(".").And.NotContain("Exception").And.NotContain("Redis");
    }
}
