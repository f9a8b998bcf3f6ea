using System.Globalization;
using System.Text.RegularExpressions;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Processes;

namespace Actors.Benchmarks.E2e;

/// <summary>Runs wrk (64 connections, 2 threads: one per core) and parses its summary.</summary>
internal static partial class Wrk
{
    private static readonly Lazy<string> Executable = new(() => ExternalTool.Require("wrk", "wrk"));

    /// <summary>
    /// Runs wrk against <paramref name="url"/> for <paramref name="warmup"/> (discarded), then for
    /// <paramref name="duration"/>, and returns the second run's figures.
    /// </summary>
    /// <param name="script">A wrk Lua script, or null for plain GETs.</param>
    /// <param name="scriptArguments">Passed to the script's <c>init(args)</c>.</param>
    public static async Task<Sample> RunAsync(
        string url, int connections, TimeSpan warmup, TimeSpan duration, CpuMeter cpu, string? script = null, params string[] scriptArguments)
    {
        if (warmup > TimeSpan.Zero)
        {
            await RunOnceAsync(url, connections, warmup, script, scriptArguments);
        }
        cpu.Start();
        var (output, wrkCoreSeconds) = await RunOnceAsync(url, connections, duration, script, scriptArguments);
        var cores = cpu.Stop(new Dictionary<string, double> { ["wrk"] = wrkCoreSeconds });
        return Parse(output, cores);
    }

    private static async Task<(string Output, double CoreSeconds)> RunOnceAsync(
        string url, int connections, TimeSpan duration, string? script, string[] scriptArguments)
    {
        var arguments = new List<string>
        {
            "-t2", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "--latency", "--timeout", "10s",
        };
        if (script is not null)
        {
            arguments.AddRange(["-s", script]);
        }
        arguments.Add(url);
        if (scriptArguments.Length > 0)
        {
            arguments.Add("--");
            arguments.AddRange(scriptArguments);
        }
        var before = ChildrenCoreSeconds();
        var result = await ManagedProcess.RunAsync(Executable.Value, arguments, duration + TimeSpan.FromSeconds(30));
        result.EnsureSuccess("wrk");
        return (result.StandardOutput, ChildrenCoreSeconds() - before);
    }

    /// <summary>CPU of this process's waited-for children (cutime + cstime): how much wrk itself used.</summary>
    private static double ChildrenCoreSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    internal static Sample Parse(string output, IReadOnlyDictionary<string, double> cores)
    {
        var rate = RequestsPerSecond().Match(output);
        if (!rate.Success)
        {
            throw new InvalidOperationException($"wrk printed no Requests/sec:\n{output}");
        }
        long errors = 0;
        if (NonSuccess().Match(output) is { Success: true } non2xx)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        if (SocketErrors().Match(output) is { Success: true } socket)
        {
            for (var g = 1; g <= 4; g++)
            {
                errors += long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture);
            }
        }
        return new Sample(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            LatencyPercentile(output, "50%"),
            LatencyPercentile(output, "99%"),
            errors,
            cores);
    }

    private static double LatencyPercentile(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            _ => value * 1000,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
