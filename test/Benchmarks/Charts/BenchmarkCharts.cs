using System.Globalization;
using System.Text.Json;
using ScottPlot;

namespace Actors.Benchmarks.Charts;

/// <summary>
/// Draws the PNG charts of docs/performance.md and docs/reliability.md from the JSON records in results/: throughput and
/// p99 latency of every measured path next to its baseline (an e2e run's <c>Pairs</c>), and recovery timelines
/// (acknowledged writes per 100 ms around a fault) from a fault run's <c>Timelines</c>. ScottPlot renders with Skia,
/// headless, with no display and no browser.
/// </summary>
internal static class BenchmarkCharts
{
    public const int Width = 1000;
    public const int Height = 520;

    private static readonly Color Ours = Color.FromHex("#1f77b4");
    private static readonly Color Baseline = Color.FromHex("#b0b0b0");

    /// <summary>
    /// <c>charts [--results DIR] [--out DIR]</c>: charts of the newest e2e record and the newest recovery record in
    /// DIR (default results/) into --out (default docs/images/). Prints each file written.
    /// </summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var root = E2e.RepositoryRoot.Find();
        var results = Option(args, "--results") ?? Path.Combine(root, "results");
        var output = Option(args, "--out") ?? Path.Combine(root, "docs", "images");
        var written = RenderLatest(results, output);
        foreach (var file in written)
        {
            Console.WriteLine($"chart: {Path.GetRelativePath(root, file)}");
        }
        if (written.Count == 0)
        {
            Console.WriteLine($"charts: no e2e or recovery records in {results}");
        }
        return 0;
    }

    /// <summary>Renders the charts of the newest records in <paramref name="resultsDirectory"/>; returns the files written.</summary>
    public static List<string> RenderLatest(string resultsDirectory, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        var records = Directory.Exists(resultsDirectory)
            ? Directory.GetFiles(resultsDirectory).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".jsonl", StringComparison.Ordinal))
                .OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList()
            : [];
        if (records.LastOrDefault(f => f.EndsWith(".json", StringComparison.Ordinal) && HasProperty(f, "Pairs")) is { } e2e)
        {
            written.AddRange(RenderPairs(e2e, outputDirectory));
        }
        var recovery = records.Select(ReadTimelines).LastOrDefault(t => t.Count > 0);
        if (recovery is not null)
        {
            written.Add(RenderRecovery(recovery, Path.Combine(outputDirectory, "reliability-recovery.png")));
        }
        return written;
    }

    /// <summary>Throughput (ops/s) and p99 (ms) per path, ours beside the baseline: performance-throughput.png, performance-p99.png.</summary>
    public static List<string> RenderPairs(string recordPath, string outputDirectory)
    {
        using var record = JsonDocument.Parse(File.ReadAllText(recordPath));
        var pairs = record.RootElement.GetProperty("Pairs").EnumerateArray().Select(pair => new
        {
            Id = pair.GetProperty("Id").GetString()!,
            Ours = Median(pair.GetProperty("Runs")),
            Base = Median(pair.GetProperty("BaselineRuns")),
        }).ToList();
        var caption = $"{Text(record.RootElement, "Date")} · commit {Text(record.RootElement, "Commit")} · {Text(record.RootElement, "Settings")}";
        var throughput = Path.Combine(outputDirectory, "performance-throughput.png");
        var p99 = Path.Combine(outputDirectory, "performance-p99.png");
        GroupedBars(throughput, "Throughput per path (higher is better)", "operations per second", caption,
            [.. pairs.Select(p => (p.Id, p.Ours.OpsPerSecond, p.Base.OpsPerSecond))]);
        GroupedBars(p99, "p99 latency per path (lower is better)", "p99 (ms)", caption,
            [.. pairs.Select(p => (p.Id, p.Ours.P99Ms, p.Base.P99Ms))]);
        return [throughput, p99];
    }

    /// <summary>
    /// One line per scenario: acknowledged writes per bucket against time from the fault (0 = the fault), the recovery
    /// marked by a dotted line of the scenario's colour.
    /// </summary>
    public static string RenderRecovery(IReadOnlyList<Timeline> timelines, string outputPath)
    {
        var plot = new Plot();
        plot.Title("Acknowledged HTTP writes around a fault");
        plot.XLabel("seconds from the fault");
        plot.YLabel($"acknowledged writes per {timelines[0].BucketMs:0} ms");
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var timeline in timelines)
        {
            // The window opens 2 s before the fault, but a scenario's load may have started later: begin at its first write.
            var first = Math.Max(0, timeline.Acknowledged.ToList().FindIndex(count => count > 0));
            var times = Enumerable.Range(first, timeline.Acknowledged.Count - first).Select(i => (i * timeline.BucketMs - timeline.FaultAtMs) / 1000).ToArray();
            var line = plot.Add.ScatterLine(times, [.. timeline.Acknowledged.Skip(first)], palette.GetColor(index++));
            line.LegendText = timeline.Scenario;
            line.LineWidth = 2;
            if (timeline.RecoveredAtMs is { } recovered)
            {
                var mark = plot.Add.VerticalLine((recovered - timeline.FaultAtMs) / 1000, 1, line.Color);
                mark.LinePattern = LinePattern.Dotted;
            }
        }
        var fault = plot.Add.VerticalLine(0, 2, Colors.Red);
        fault.LabelText = "fault";
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0, top: 0.25);
        plot.SavePng(outputPath, Width, Height);
        return outputPath;
    }

    /// <summary>A scenario's acknowledgements per bucket; <see cref="FaultAtMs"/> and <see cref="RecoveredAtMs"/> are into the window.</summary>
    internal sealed record Timeline(string Scenario, double BucketMs, double FaultAtMs, double? RecoveredAtMs, IReadOnlyList<double> Acknowledged);

    /// <summary>
    /// The timelines of a record: a <c>.json</c> with <c>Timelines</c> (<c>Scenario, BucketMs, FaultAtMs, RecoveredAtMs,
    /// Acknowledged</c>), or the fault suite's <c>ACTORS_FAULTS_REPORT</c> lines (<c>.jsonl</c>, a <c>scenario</c> and a
    /// <c>timeline</c> each; the last line of each scenario counts).
    /// </summary>
    internal static List<Timeline> ReadTimelines(string file)
    {
        var timelines = new List<Timeline>();
        try
        {
            if (file.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
                {
                    using var document = JsonDocument.Parse(line);
                    if (document.RootElement.TryGetProperty("timeline", out var t) && t.ValueKind == JsonValueKind.Object)
                    {
                        timelines.RemoveAll(x => x.Scenario == document.RootElement.GetProperty("scenario").GetString());
                        timelines.Add(ReadTimeline(document.RootElement.GetProperty("scenario").GetString() ?? "?", t, camelCase: true));
                    }
                }
            }
            else
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Timelines", out var all))
                {
                    timelines.AddRange(all.EnumerateArray().Select(t => ReadTimeline(t.GetProperty("Scenario").GetString() ?? "?", t, camelCase: false)));
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }
        return timelines;
    }

    private static Timeline ReadTimeline(string scenario, JsonElement timeline, bool camelCase)
    {
        string Name(string pascal) => camelCase ? char.ToLowerInvariant(pascal[0]) + pascal[1..] : pascal;
        var recovered = timeline.TryGetProperty(Name("RecoveredAtMs"), out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : (double?)null;
        return new Timeline(scenario, timeline.GetProperty(Name("BucketMs")).GetDouble(), timeline.GetProperty(Name("FaultAtMs")).GetDouble(), recovered,
            [.. timeline.GetProperty(Name("Acknowledged")).EnumerateArray().Select(v => v.GetDouble())]);
    }

    private static void GroupedBars(string path, string title, string unit, string caption, IReadOnlyList<(string Label, double Ours, double Baseline)> groups)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < groups.Count; i++)
        {
            var center = i * 3;
            bars.Add(new Bar { Position = center - 0.5, Value = groups[i].Ours, FillColor = Ours, Label = Short(groups[i].Ours) });
            bars.Add(new Bar { Position = center + 0.5, Value = groups[i].Baseline, FillColor = Baseline, Label = Short(groups[i].Baseline) });
            ticks.Add(new Tick(center, groups[i].Label));
        }
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title(title);
        plot.YLabel(unit);
        plot.XLabel(caption);
        plot.Axes.Bottom.Label.FontSize = 11;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Actors", FillColor = Ours });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "baseline", FillColor = Baseline });
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>The run whose throughput is the median of the repetitions (as the tables report).</summary>
    private static (double OpsPerSecond, double P99Ms) Median(JsonElement runs)
    {
        var all = runs.EnumerateArray()
            .Select(r => (Ops: r.GetProperty("OpsPerSecond").GetDouble(), P99: r.GetProperty("P99Ms").GetDouble()))
            .OrderBy(r => r.Ops)
            .ToList();
        return all.Count == 0 ? (0, 0) : all[all.Count / 2];
    }

    private static string Short(double value) => value >= 1000
        ? (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k"
        : value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture);

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ToString() : "?";

    private static bool HasProperty(string file, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }
        return null;
    }
}
