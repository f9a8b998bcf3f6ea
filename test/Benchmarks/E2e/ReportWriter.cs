using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Actors.Benchmarks.E2e;

/// <summary>Writes a run as results/&lt;date&gt;-&lt;commit&gt;.md and .json and puts its tables into docs/performance.md.</summary>
internal static class ReportWriter
{
    private const string Begin = "<!-- results:begin (written by the e2e benchmark; edit around, not inside) -->";
    private const string End = "<!-- results:end -->";
    private static readonly string[] CpuColumns = ["silos", "redis", "driver", "gateway", "hello", "wrk", "other"];
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string ResultsDirectory => Path.Combine(RepositoryRoot.Find(), "results");

    public static string Stem(DateTimeOffset date, string commit) =>
        $"{date.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture)}-{commit}";

    public static IReadOnlyList<string> Write(RunReport report, bool updateDocs)
    {
        Directory.CreateDirectory(ResultsDirectory);
        var stem = Stem(DateTimeOffset.Parse(report.Date, CultureInfo.InvariantCulture), report.Commit);
        var markdown = Path.Combine(ResultsDirectory, stem + ".md");
        var json = Path.Combine(ResultsDirectory, stem + ".json");
        File.WriteAllText(markdown, $"# Benchmark run {report.Date}, commit {report.Commit}\n\n" + Markdown(report));
        File.WriteAllText(json, JsonSerializer.Serialize(ToJson(report), Json) + "\n");
        var written = new List<string> { markdown, json };
        if (updateDocs)
        {
            var docs = Path.Combine(RepositoryRoot.Find(), "docs", "performance.md");
            var text = File.Exists(docs) ? File.ReadAllText(docs) : $"# Performance\n\n{Begin}\n{End}\n";
            var begin = text.IndexOf(Begin, StringComparison.Ordinal);
            var end = text.IndexOf(End, StringComparison.Ordinal);
            if (begin >= 0 && end > begin)
            {
                var table = $"{Begin}\n\nLatest run: {report.Date}, commit `{report.Commit}` (full record: `results/{stem}.md` / `.json`).\n\n{Markdown(report)}\n{End}";
                File.WriteAllText(docs, text[..begin] + table + text[(end + End.Length)..]);
                written.Add(docs);
            }
        }
        return written;
    }

    public static string Markdown(RunReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {report.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- load average (1/5/15 min) at start: {report.LoadAverageAtStart}; at end: {report.LoadAverageAtEnd}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- settings: {report.Settings}");
        foreach (var note in report.Notes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- note: {note}");
        }
        md.AppendLine();
        if (report.Pairs.Count > 0)
        {
            md.AppendLine("| path | ops/s | p50 ms | p99 ms | baseline (same run) | ops/s | p50 ms | p99 ms | ratio | target |");
            md.AppendLine("|---|--:|--:|--:|---|--:|--:|--:|--:|---|");
            foreach (var pair in report.Pairs)
            {
                var target = pair.Target is { } t ? $"≥ {t:0.0#} {(pair.MeetsTarget == true ? "met" : "**missed**")}" : "—";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {pair.Path} | {pair.OpsPerSecond:N0} | {Median(pair.Runs, s => s.P50Ms):0.00} | {Median(pair.Runs, s => s.P99Ms):0.00} " +
                    $"| {pair.Baseline} | {pair.BaselineOpsPerSecond:N0} | {Median(pair.BaselineRuns, s => s.P50Ms):0.00} | {Median(pair.BaselineRuns, s => s.P99Ms):0.00} " +
                    $"| **{pair.Ratio:0.00}** | {target} |");
            }
            md.AppendLine();
            md.AppendLine("Errors (failed calls, non-2xx, socket errors) over all repetitions: " +
                string.Join(", ", report.Pairs.Select(p => $"{p.Id} {p.Runs.Sum(r => r.Errors)} / baseline {p.BaselineRuns.Sum(r => r.Errors)}")) + ".");
            md.AppendLine();
            md.AppendLine("Where the CPU went during the measured windows (cores of 2, median over repetitions; `other` = busy time of processes this run did not start, i.e. other work on the machine):");
            md.AppendLine();
            md.AppendLine($"| measurement | {string.Join(" | ", CpuColumns)} | machine |");
            md.AppendLine($"|---|{string.Concat(CpuColumns.Select(_ => "--:|"))}--:|");
            var seen = new HashSet<string>();
            foreach (var pair in report.Pairs)
            {
                CpuRow(md, pair.Path, pair.Runs);
                if (seen.Add(pair.Baseline) && !pair.Baseline.StartsWith("durable write via", StringComparison.Ordinal))
                {
                    CpuRow(md, pair.Baseline, pair.BaselineRuns);
                }
            }
            md.AppendLine();
        }
        if (report.Memory is { } memory)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Memory of one silo process (after a full compacting GC), {memory.Count:N0} grains each:");
            md.AppendLine();
            md.AppendLine("| silo state | working set MiB | managed heap MiB | per grain, working set | per grain, managed heap |");
            md.AppendLine("|---|--:|--:|--:|--:|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| started, warmed up | {Mib(memory.Empty.WorkingSetBytes)} | {Mib(memory.Empty.ManagedHeapBytes)} | | |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| + {memory.Count:N0} active roots of ~500 B (written in {memory.RootsSeconds:0} s) | {Mib(memory.WithRoots.WorkingSetBytes)} | {Mib(memory.WithRoots.ManagedHeapBytes)} | {Kb(memory.WorkingSetPerRoot)} | {Kb(memory.HeapPerRoot)} |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| + {memory.Count:N0} bare grains with 500 B state (baseline) | {Mib(memory.WithRootsAndBare.WorkingSetBytes)} | {Mib(memory.WithRootsAndBare.ManagedHeapBytes)} | {Kb(memory.WorkingSetPerBare)} | {Kb(memory.HeapPerBare)} |");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Idle cost per root: **{Kb(memory.WorkingSetPerRoot)}** of working set, {Kb(memory.HeapPerRoot)} of managed heap " +
                $"(ratio to a bare persisted grain: {memory.HeapPerRoot / memory.HeapPerBare:0.00} on the heap).");
            md.AppendLine();
        }
        if (report.Scaling.Count > 0)
        {
            md.AppendLine("Scaling on this machine (one run each; the driver, Redis and every silo share the same 2 cores):");
            md.AppendLine();
            md.AppendLine($"| silos | durable write ops/s | p50 ms | p99 ms | bare write ops/s | ratio | vs 1 silo | {string.Join(" | ", CpuColumns.Take(3))} | other | machine |");
            md.AppendLine($"|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            var one = report.Scaling[0].Write.OpsPerSecond;
            foreach (var s in report.Scaling)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Silos} | {s.Write.OpsPerSecond:N0} | {s.Write.P50Ms:0.00} | {s.Write.P99Ms:0.00} | {s.Bare.OpsPerSecond:N0} | {s.Write.OpsPerSecond / s.Bare.OpsPerSecond:0.00} | {s.Write.OpsPerSecond / one:0.00} " +
                    $"| {Cpu(s.Write, "silos")} | {Cpu(s.Write, "redis")} | {Cpu(s.Write, "driver")} | {Cpu(s.Write, "other")} | {Cpu(s.Write, "machine")} |");
            }
            md.AppendLine();
        }
        if (report.ProfileFile is { } profile)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Profiles (perf; silo during durable and bare writes, gateway and hello during GET): `results/{profile}`.");
            md.AppendLine();
        }
        return md.ToString();
    }

    private static void CpuRow(StringBuilder md, string what, List<Sample> runs)
    {
        var cells = CpuColumns.Append("machine").Select(c =>
            runs.Any(r => r.Cpu.ContainsKey(c)) ? PairResult.Median(runs.Select(r => r.Cpu.GetValueOrDefault(c))).ToString("0.00", CultureInfo.InvariantCulture) : "");
        md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {string.Join(" | ", cells)} |");
    }

    private static string Cpu(Sample sample, string group) =>
        sample.Cpu.TryGetValue(group, out var cores) ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "";

    private static double Median(List<Sample> runs, Func<Sample, double> value) => PairResult.Median(runs.Select(value));

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture);

    private static string Kb(double bytes) => (bytes / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " KiB";

    private static object ToJson(RunReport report) => new
    {
        report.Date,
        report.Commit,
        report.Machine,
        report.LoadAverageAtStart,
        report.LoadAverageAtEnd,
        report.Settings,
        report.Notes,
        Pairs = report.Pairs.Select(p => new
        {
            p.Id,
            p.Path,
            p.Baseline,
            p.Target,
            p.Ratio,
            p.MeetsTarget,
            p.OpsPerSecond,
            p.BaselineOpsPerSecond,
            Runs = p.Runs,
            BaselineRuns = p.BaselineRuns,
        }),
        Memory = report.Memory is { } m ? new
        {
            m.Count,
            m.Empty,
            m.WithRoots,
            m.WithRootsAndBare,
            m.WorkingSetPerRoot,
            m.HeapPerRoot,
            m.WorkingSetPerBare,
            m.HeapPerBare,
            m.RootsSeconds,
            m.BareSeconds,
        } : null,
        report.Scaling,
        report.ProfileFile,
    };
}
