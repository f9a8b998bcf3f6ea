using Actors.Benchmarks.Grains;

namespace Actors.Benchmarks.E2e;

/// <summary>A path measured against its baseline, repetition by repetition, in the same run.</summary>
internal sealed record PairResult(string Id, string Path, string Baseline, double? Target, List<Sample> Runs, List<Sample> BaselineRuns)
{
    public double OpsPerSecond => Median(Runs.Select(r => r.OpsPerSecond));

    public double BaselineOpsPerSecond => Median(BaselineRuns.Select(r => r.OpsPerSecond));

    /// <summary>The median over repetitions of (path ÷ baseline), each pair measured back to back.</summary>
    public double Ratio => Median(Runs.Zip(BaselineRuns, (a, b) => a.OpsPerSecond / b.OpsPerSecond));

    public bool? MeetsTarget => Target is { } target ? Ratio >= target : null;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Silo memory with no roots, after activating N roots, and after as many bare grains on top.</summary>
internal sealed record MemoryResult(int Count, SiloMemory Empty, SiloMemory WithRoots, SiloMemory WithRootsAndBare, double RootsSeconds, double BareSeconds)
{
    public double WorkingSetPerRoot => (WithRoots.WorkingSetBytes - Empty.WorkingSetBytes) / (double)Count;

    public double HeapPerRoot => (WithRoots.ManagedHeapBytes - Empty.ManagedHeapBytes) / (double)Count;

    public double WorkingSetPerBare => (WithRootsAndBare.WorkingSetBytes - WithRoots.WorkingSetBytes) / (double)Count;

    public double HeapPerBare => (WithRootsAndBare.ManagedHeapBytes - WithRoots.ManagedHeapBytes) / (double)Count;
}

/// <summary>Durable-write throughput with <see cref="Silos"/> silo processes on this machine.</summary>
internal sealed record ScalingResult(int Silos, Sample Write, Sample Bare);

/// <summary>Everything one e2e run produced.</summary>
internal sealed record RunReport(
    string Date,
    string Commit,
    string Machine,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    string Settings,
    List<PairResult> Pairs,
    MemoryResult? Memory,
    List<ScalingResult> Scaling,
    string? ProfileFile,
    List<string> Notes);
