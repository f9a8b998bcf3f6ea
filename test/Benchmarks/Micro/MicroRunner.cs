using System.Globalization;
using System.Text;
using Actors.Benchmarks.E2e;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Actors.Benchmarks.Micro;

/// <summary>
/// <c>micro</c>: BenchmarkDotNet over the hot code of a write, in process (no generated child project: it would inherit
/// this repository's warnings-as-errors build and fight concurrent builds on a shared machine). Extra arguments go to
/// BenchmarkDotNet (e.g. <c>--filter *WriteMemory*</c>). Writes results/&lt;date&gt;-&lt;commit&gt;-micro.md.
/// </summary>
internal static class MicroRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var started = DateTimeOffset.Now;
        var artifacts = Path.Combine(Path.GetTempPath(), $"actors-bdn-{Environment.ProcessId}");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(8).WithId("InProcess"))
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var types = new[] { typeof(DocumentBenchmarks), typeof(WriteMemoryBenchmarks), typeof(RootStateSerializationBenchmarks) };
        var summaries = args.Length == 0
            ? BenchmarkRunner.Run(types, config)
            : BenchmarkSwitcher.FromTypes(types).Run(args, config);

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Micro-benchmarks {started:yyyy-MM-dd HH:mm zzz}, commit {await Commit.DescribeAsync()}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {Machine.Describe()}; load average at start: {CpuMeter.LoadAverage()}");
        md.AppendLine();
        md.AppendLine("Persisted size per write (OrleansGrainStorageSerializer, as the silo's Redis storage uses it):");
        md.AppendLine();
        md.AppendLine("| state | bytes |");
        md.AppendLine("|---|--:|");
        foreach (var (state, bytes) in RootStateSerializationBenchmarks.MeasureSizes())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {state} | {bytes:N0} |");
        }
        md.AppendLine();
        var reports = Path.Combine(artifacts, "results");
        if (Directory.Exists(reports))
        {
            foreach (var file in Directory.GetFiles(reports, "*-report-github.md").Order(StringComparer.Ordinal))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"## {Path.GetFileName(file).Replace("-report-github.md", "", StringComparison.Ordinal)}");
                md.AppendLine();
                md.AppendLine((await File.ReadAllTextAsync(file)).Replace("&#39;", "'", StringComparison.Ordinal));
            }
            Directory.Delete(artifacts, recursive: true);
        }
        Directory.CreateDirectory(ReportWriter.ResultsDirectory);
        var path = Path.Combine(ReportWriter.ResultsDirectory, ReportWriter.Stem(started, await Commit.DescribeAsync()) + "-micro.md");
        await File.WriteAllTextAsync(path, md.ToString());
        Console.WriteLine(md);
        Console.Error.WriteLine($"wrote {path}");
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
