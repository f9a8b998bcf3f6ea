using Actors.Contracts.Hosting;

namespace Actors.Gateway.Tests;

/// <summary>The shared retry delay: exponential growth, a cap, and "equal jitter" between half the ceiling and the ceiling.</summary>
public sealed class BackoffUnitTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(6, 3200)]
    [InlineData(7, 5000)]
    [InlineData(1000, 5000)]
    [InlineData(int.MaxValue, 5000)]
    public void Ceiling_Attempt_DoublesUpToMax(int attempt, int milliseconds)
    {
        Backoff.Ceiling(attempt, Initial, Max).Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100)]
    public void Delay_ManyDraws_StayBetweenHalfCeilingAndCeiling(int attempt)
    {
        var ceiling = Backoff.Ceiling(attempt, Initial, Max);
        var random = new Random(attempt);

        var delays = Enumerable.Range(0, 2000).Select(_ => Backoff.Delay(attempt, Initial, Max, random)).ToList();

        delays.Should().OnlyContain(delay => delay >= ceiling / 2 && delay <= ceiling);
        // Jitter really spreads: both ends of the random half are reached, and the draws are not all alike.
        delays.Min().Should().BeLessThan(ceiling / 2 + ceiling / 10);
        delays.Max().Should().BeGreaterThan(ceiling - ceiling / 10);
        delays.Distinct().Count().Should().BeGreaterThan(1000);
    }

    [Fact]
    public void Delay_BeforeTheCap_NeverShorterThanAnyDelayOfTheAttemptBefore()
    {
        // The fixed half of one attempt is the whole ceiling of the attempt before, so the waits grow strictly.
        for (var attempt = 1; Backoff.Ceiling(attempt + 1, Initial, Max) < Max; attempt++)
        {
            (Backoff.Ceiling(attempt + 1, Initial, Max) / 2).Should().Be(Backoff.Ceiling(attempt, Initial, Max));
        }
    }

    [Fact]
    public void Delay_MaxBelowInitial_IsCappedAtMax()
    {
        var delay = Backoff.Delay(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));

        delay.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(500)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Delay_SameSeed_SameDelays()
    {
        Backoff.Delay(4, Initial, Max, new Random(7)).Should().Be(Backoff.Delay(4, Initial, Max, new Random(7)));
    }

    [Fact]
    public void Delay_InvalidArguments_Throw()
    {
        FluentActions.Invoking(() => Backoff.Delay(0, Initial, Max)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("attempt");
        FluentActions.Invoking(() => Backoff.Delay(1, TimeSpan.Zero, Max)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("initial");
        FluentActions.Invoking(() => Backoff.Delay(1, Initial, TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("max");
    }
}
