using Actors.XmppBridge.Bridge;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>
/// The silo's health probes (docs/xmpp-bridge.md, "Presence"): one missed probe is asked again at once, and only two
/// misses in a row turn presence <c>dnd</c>, so one slow storage read on a loaded machine does not divert writers.
/// </summary>
public sealed class HealthProbeRoundUnitTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData(Attempt.Hang)]
    [InlineData(Attempt.Throw)]
    public async Task RunAsync_OneMissThenAnswer_NotFailed(Attempt miss)
    {
        var storage = new ScriptedProbe("storage", miss, Attempt.Answer);

        var failed = await Round(storage).RunAsync(TestContext.Current.CancellationToken);

        failed.Should().BeNull("a probe that answers its second try is healthy");
        storage.Calls.Should().Be(2);
    }

    [Fact]
    public async Task RunAsync_TwoMissesInARow_NamesTheProbe()
    {
        var storage = new ScriptedProbe("storage", Attempt.Throw, Attempt.Hang);

        var failed = await Round(storage).RunAsync(TestContext.Current.CancellationToken);

        failed.Should().Be("storage");
        storage.Calls.Should().Be(2, "a failed probe is tried twice, not more");
    }

    [Fact]
    public async Task RunAsync_FirstAnswers_AskedOnce()
    {
        var storage = new ScriptedProbe("storage", Attempt.Answer);

        var failed = await Round(storage).RunAsync(TestContext.Current.CancellationToken);

        failed.Should().BeNull();
        storage.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_FirstOfTwoFails_NamesItAndStillRunsTheOther()
    {
        var storage = new ScriptedProbe("storage", Attempt.Throw, Attempt.Throw);
        var membership = new ScriptedProbe("membership", Attempt.Answer);

        var failed = await Round(storage, membership).RunAsync(TestContext.Current.CancellationToken);

        failed.Should().Be("storage");
        membership.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var storage = new ScriptedProbe("storage", Attempt.Hang, Attempt.Hang);
        var round = new HealthProbeRound([storage], TimeSpan.FromMinutes(1), NullLogger.Instance);

        var run = round.RunAsync(cancellation.Token);
        await cancellation.CancelAsync();

        await run.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>("a stopping silo is not a degraded one");
        storage.Calls.Should().Be(1);
    }

    private static HealthProbeRound Round(params IHealthProbe[] probes) => new(probes, ShortTimeout, NullLogger.Instance);

    /// <summary>What one call of a scripted probe does: answer, throw, or hang until the round's timeout.</summary>
    public enum Attempt
    {
        Answer,
        Throw,
        Hang,
    }

    /// <summary>A probe whose n-th call does what the n-th attempt says; calls past the script answer.</summary>
    private sealed class ScriptedProbe(string name, params Attempt[] attempts) : IHealthProbe
    {
        private int _calls;

        public string Name => name;

        public int Calls => _calls;

        public Task ProbeAsync(CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls) - 1;
            return (call < attempts.Length ? attempts[call] : Attempt.Answer) switch
            {
                Attempt.Throw => Task.FromException(new TimeoutException("Redis did not answer")),
                Attempt.Hang => Task.Delay(Timeout.Infinite, cancellationToken),
                _ => Task.CompletedTask,
            };
        }
    }
}
