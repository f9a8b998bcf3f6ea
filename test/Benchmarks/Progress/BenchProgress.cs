using System.Globalization;

namespace Actors.Benchmarks.Progress;

/// <summary>
/// "step k of N: what, about M min left" for a benchmark whose steps are planned in advance (issue 16): the time left
/// is what the remaining steps were planned to take, scaled by how the finished ones compared with their plan, so a
/// slow machine's estimate corrects itself after the first step.
/// </summary>
/// <remarks>
/// One place for the estimate: the runners use an instance, <c>./actors bench</c> asks the <c>progress</c> mode for
/// the line between its benchmarks (<see cref="Run"/>).
/// </remarks>
internal sealed class BenchProgress
{
    // Measurements take their planned wall-clock time whatever the machine, so steps run much faster than planned only
    // when a setup step (starting servers) was planned generously: scaling the measurements down by that would promise
    // "under a minute" with minutes to go. A machine ten times slower than planned still gets an estimate near the truth.
    private const double MinScale = 0.75;
    private const double MaxScale = 10;

    private readonly IReadOnlyList<TimeSpan> _plan;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _begun;

    /// <summary>A progress over steps planned to take <paramref name="plan"/>, in order; the clock starts now.</summary>
    public BenchProgress(IReadOnlyList<TimeSpan> plan, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    /// <summary>The number of planned steps.</summary>
    public int Total => _plan.Count;

    /// <summary>Marks the next step begun and returns its line, e.g. <c>step 3 of 18: repetition 1/3, read, about 7 min left</c>.</summary>
    public string Begin(string what)
    {
        var done = Math.Min(_begun, _plan.Count);
        _begun++;
        return Format(_begun, Math.Max(_plan.Count, _begun), what, Remaining(_plan, done, _time.GetElapsedTime(_started)));
    }

    /// <summary>
    /// The time left once <paramref name="done"/> steps took <paramref name="elapsed"/>: the rest of the plan, scaled by
    /// elapsed over what those steps were planned to take (bounded to 0.75–10×); the plan alone before any step is done.
    /// </summary>
    public static TimeSpan Remaining(IReadOnlyList<TimeSpan> plan, int done, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(done);
        done = Math.Min(done, plan.Count);
        var planned = plan.Take(done).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var rest = plan.Skip(done).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var scale = done == 0 || planned <= TimeSpan.Zero ? 1 : Math.Clamp(elapsed / planned, MinScale, MaxScale);
        return rest * scale;
    }

    /// <summary>
    /// The line for step <paramref name="step"/> of <paramref name="total"/>: minutes rounded up ("about 3 min left"),
    /// "under a minute left" below one, "last step" for the last one.
    /// </summary>
    public static string Format(int step, int total, string what, TimeSpan left)
    {
        var tail = step >= total ? "last step"
            : left < TimeSpan.FromMinutes(1) ? "under a minute left"
            : string.Create(CultureInfo.InvariantCulture, $"about {Math.Ceiling(left.TotalMinutes):0} min left");
        return string.Create(CultureInfo.InvariantCulture, $"step {step} of {total}: {what}, {tail}");
    }

    /// <summary>
    /// The <c>progress</c> mode, for scripts: <c>progress --plan S,S,… --done K --elapsed S --what TEXT</c> prints the
    /// line of step K+1 (seconds planned per step, seconds the first K took).
    /// </summary>
    public static int Run(IReadOnlyList<string> args)
    {
        List<TimeSpan>? plan = null;
        int? done = null;
        TimeSpan? elapsed = null;
        var what = "";
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--plan":
                    plan = [.. Next().Split(',').Select(s => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture)))];
                    break;
                case "--done":
                    done = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--elapsed":
                    elapsed = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
                    break;
                case "--what":
                    what = Next();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}. Options: --plan S,S,… --done K --elapsed S --what TEXT");
            }
        }

        if (plan is null || done is null || elapsed is null)
        {
            throw new ArgumentException("progress needs --plan, --done and --elapsed.");
        }

        Console.WriteLine(Format(done.Value + 1, plan.Count, what, Remaining(plan, done.Value, elapsed.Value)));
        return 0;
    }
}
