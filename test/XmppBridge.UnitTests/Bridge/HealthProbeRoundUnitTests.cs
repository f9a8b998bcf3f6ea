using Actors.XmppBridge.Bridge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>
/// The silo's health probes (docs/xmpp-bridge.md, "Presence"): one missed probe is asked again at once, and only two
/// misses in a row turn presence <c>dnd</c>, so one slow storage read on a loaded machine does not divert writers; while
/// presence is <c>dnd</c> already, one try decides and a miss is not warned about again.
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

        var failed = await Round(storage).RunAsync(degraded: false, TestContext.Current.CancellationToken);

        failed.Should().BeNull("a probe that answers its second try is healthy");
        storage.Calls.Should().Be(2);
    }

    [Fact]
    public async Task RunAsync_TwoMissesInARow_NamesTheProbe()
    {
        var storage = new ScriptedProbe("storage", Attempt.Throw, Attempt.Hang);

        var failed = await Round(storage).RunAsync(degraded: false, TestContext.Current.CancellationToken);

        failed.Should().Be("storage");
        storage.Calls.Should().Be(2, "a failed probe is tried twice, not more");
    }

    [Fact]
    public async Task RunAsync_FirstAnswers_AskedOnce()
    {
        var storage = new ScriptedProbe("storage", Attempt.Answer);

        var failed = await Round(storage).RunAsync(degraded: false, TestContext.Current.CancellationToken);

        failed.Should().BeNull();
        storage.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_FirstOfTwoFails_NamesItAndStillRunsTheOther()
    {
        var storage = new ScriptedProbe("storage", Attempt.Throw, Attempt.Throw);
        var membership = new ScriptedProbe("membership", Attempt.Answer);

        var failed = await Round(storage, membership).RunAsync(degraded: false, TestContext.Current.CancellationToken);

        failed.Should().Be("storage");
        membership.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_TurningDnd_WarnsOnceWithTheException_ThenWhileDegradedTriesOnceAndLogsAtDebug()
    {
        var logger = new FakeLogger();
        var storage = new ScriptedProbe("storage", Attempt.Throw, Attempt.Throw, Attempt.Throw, Attempt.Throw);
        var round = new HealthProbeRound([storage], ShortTimeout, logger);

        var turning = await round.RunAsync(degraded: false, TestContext.Current.CancellationToken);
        var still = await round.RunAsync(degraded: true, TestContext.Current.CancellationToken);
        var stillAgain = await round.RunAsync(degraded: true, TestContext.Current.CancellationToken);

        (turning, still, stillAgain).Should().Be(("storage", "storage", "storage"));
        storage.Calls.Should().Be(4, "two tries to turn dnd, then one per round while dnd");
        var records = logger.Collector.GetSnapshot();
        records.Where(r => r.Level >= LogLevel.Warning).Should().ContainSingle("an outage is warned about once, when presence turns dnd")
            .Which.Exception.Should().BeOfType<TimeoutException>();
        records.Where(r => r.Level == LogLevel.Debug).Should().HaveCount(2).And.OnlyContain(r => r.Message.Contains("still fails", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhileDegraded_OneAnswerIsEnough()
    {
        var storage = new ScriptedProbe("storage", Attempt.Answer);

        var failed = await Round(storage).RunAsync(degraded: true, TestContext.Current.CancellationToken);

        failed.Should().BeNull("presence turns available again on the first answer");
        storage.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var storage = new ScriptedProbe("storage", Attempt.Hang, Attempt.Hang);
        var round = new HealthProbeRound([storage], TimeSpan.FromMinutes(1), NullLogger.Instance);

        var run = round.RunAsync(degraded: false, cancellation.Token);
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
