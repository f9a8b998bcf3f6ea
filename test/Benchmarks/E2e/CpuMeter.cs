using System.Globalization;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// Reads /proc to split the machine's CPU time over a window between named process groups (silos, Redis, the
/// driver, wrk, ...) and everything else, which on this shared machine includes other people's builds.
/// </summary>
internal sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux build we run on.
    private readonly Func<IReadOnlyDictionary<string, IReadOnlyList<int>>> _groups;
    private Dictionary<string, long> _start = [];
    private long _machineBusyStart;
    private long _startTimestamp;

    public CpuMeter(Func<IReadOnlyDictionary<string, IReadOnlyList<int>>> groups) => _groups = groups;

    public void Start()
    {
        _start = ReadGroups();
        _machineBusyStart = ReadMachineBusy();
        _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>Cores used per group since <see cref="Start"/>; "machine" is all busy time, "other" what no group explains.</summary>
    public Dictionary<string, double> Stop(IReadOnlyDictionary<string, double>? extraCoreSeconds = null)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        var end = ReadGroups();
        var result = new Dictionary<string, double>();
        double explained = 0;
        foreach (var (name, ticks) in end)
        {
            var cores = (ticks - _start.GetValueOrDefault(name)) / TicksPerSecond / seconds;
            result[name] = Math.Round(cores, 2);
            explained += cores;
        }
        foreach (var (name, coreSeconds) in extraCoreSeconds ?? new Dictionary<string, double>())
        {
            result[name] = Math.Round(coreSeconds / seconds, 2);
            explained += coreSeconds / seconds;
        }
        var machine = (ReadMachineBusy() - _machineBusyStart) / TicksPerSecond / seconds;
        result["machine"] = Math.Round(machine, 2);
        result["other"] = Math.Round(Math.Max(0, machine - explained), 2);
        return result;
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private Dictionary<string, long> ReadGroups()
    {
        var result = new Dictionary<string, long>();
        foreach (var (name, pids) in _groups())
        {
            result[name] = pids.Sum(ReadProcessTicks);
        }
        return result;
    }

    private static long ReadProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may contain spaces) start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state field.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long ReadMachineBusy()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = cpu.Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
        return values.Sum() - values[3] - values[4];
    }
}
