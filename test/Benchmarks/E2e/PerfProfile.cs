using System.Globalization;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Processes;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// perf record of one process while a workload runs (not counted in any table): the report per module, per symbol by
/// self time, and per symbol including callees — where an operation's time goes. The process needs perf maps
/// (<see cref="BenchCluster.StartAsync(int, bool, bool)"/> with <c>perfMaps</c>) for managed frames to have names.
/// </summary>
internal static class PerfProfile
{
    public static async Task<(string Text, Sample Sample)> RecordAsync(TimeSpan duration, string label, int pid, Func<Task<Sample>> workload)
    {
        var perf = ExternalTool.Require("perf", "linux-perf");
        var data = Path.Combine(Path.GetTempPath(), $"actors-bench-{Environment.ProcessId}.perf.data");
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] profiling pid {pid} during {duration.TotalSeconds:0} s of {label}");
        var record = ManagedProcess.RunAsync(perf,
            ["record", "-F", "499", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", data, "--", "sleep", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)],
            duration + TimeSpan.FromSeconds(60));
        var sample = await workload();
        (await record).EnsureSuccess("perf record");
        var views = new (string Title, string[] Arguments)[]
        {
            ("by module", ["--no-children", "--sort", "dso", "--percent-limit", "0.5", "-g", "none"]),
            ("by symbol, self time", ["--no-children", "--sort", "symbol", "--percent-limit", "0.3", "-g", "none"]),
            ("by symbol, including callees", ["--children", "--sort", "symbol", "--percent-limit", "2", "-g", "none"]),
        };
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"######## {label}: {sample.OpsPerSecond:N0} ops/s under perf; cores: {string.Join(", ", sample.Cpu.Select(kv => $"{kv.Key} {kv.Value:0.00}"))}");
        foreach (var (title, arguments) in views)
        {
            var view = await ManagedProcess.RunAsync(perf, ["report", "-i", data, "--stdio", .. arguments], TimeSpan.FromMinutes(3));
            text.AppendLine(CultureInfo.InvariantCulture, $"# {label}: {title}").AppendLine(view.StandardOutput);
        }

        File.Delete(data);
        return (text.ToString(), sample);
    }
}
