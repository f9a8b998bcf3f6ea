using Actors.Benchmarks.Progress;

namespace Actors.Benchmarks.UnitTests;

/// <summary>The "step k of N, about M min left" lines of <c>./actors bench</c> and the benchmark runners.</summary>
public sealed class BenchProgressUnitTests
{
    private static readonly TimeSpan[] Plan = [TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6)];

    [Fact]
    public void Remaining_NothingDone_IsThePlan() =>
        BenchProgress.Remaining(Plan, 0, TimeSpan.FromMinutes(5)).Should().Be(TimeSpan.FromMinutes(12));

    [Fact]
    public void Remaining_FirstStepTookTwiceItsPlan_RestScaledByTwo() =>
        BenchProgress.Remaining(Plan, 1, TimeSpan.FromMinutes(4)).Should().Be(TimeSpan.FromMinutes(20));

    [Fact]
    public void Remaining_StepsSomewhatFasterThanPlanned_RestScaledDown() =>
        BenchProgress.Remaining(Plan, 2, TimeSpan.FromMinutes(4.8)).Should().Be(TimeSpan.FromMinutes(4.8));

    [Fact]
    public void Remaining_PaceFarOff_ScaleBounded()
    {
        BenchProgress.Remaining(Plan, 1, TimeSpan.FromSeconds(1)).Should().Be(TimeSpan.FromMinutes(7.5), "a quick setup step does not make the measurements after it quicker: at least three quarters of the plan");
        BenchProgress.Remaining(Plan, 1, TimeSpan.FromHours(2)).Should().Be(TimeSpan.FromMinutes(100), "at most ten times the plan");
    }

    [Fact]
    public void Remaining_AllDone_Zero() =>
        BenchProgress.Remaining(Plan, 3, TimeSpan.FromMinutes(9)).Should().Be(TimeSpan.Zero);

    [Theory]
    [InlineData(1, 6, 660.0, "step 1 of 6: e2e, about 11 min left")]
    [InlineData(2, 6, 61.0, "step 2 of 6: e2e, about 2 min left")]
    [InlineData(2, 6, 60.0, "step 2 of 6: e2e, about 1 min left")]
    [InlineData(5, 6, 59.0, "step 5 of 6: e2e, under a minute left")]
    [InlineData(6, 6, 10.0, "step 6 of 6: e2e, last step")]
    public void Format_MinutesRoundedUp_UnderAMinute_LastStep(int step, int total, double leftSeconds, string expected) =>
        BenchProgress.Format(step, total, "e2e", TimeSpan.FromSeconds(leftSeconds)).Should().Be(expected);

    [Fact]
    public void Begin_EachStep_CountsAndCorrectsTheEstimateByThePaceSoFar()
    {
        var time = new ManualClock();
        var progress = new BenchProgress(Plan, time);

        progress.Begin("warm-up").Should().Be("step 1 of 3: warm-up, about 12 min left");
        time.Advance(TimeSpan.FromMinutes(4));
        progress.Begin("reads").Should().Be("step 2 of 3: reads, about 20 min left", "the first step took twice its plan, so 10 planned minutes are 20");
        time.Advance(TimeSpan.FromMinutes(5));
        progress.Begin("writes").Should().Be("step 3 of 3: writes, last step");
        progress.Begin("an unplanned extra").Should().Be("step 4 of 4: an unplanned extra, last step", "more steps than planned still count");
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
