using System.Globalization;

namespace Actors.XmppBenchmarks;

/// <summary>CPU time of processes from /proc, to tell a saturated server from a saturated client.</summary>
internal static class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ; 100 on every Linux this runs on.

    /// <summary>User plus system CPU time of <paramref name="pid"/> so far (zero when it is gone).</summary>
    public static TimeSpan ProcessTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The 1-minute load average.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
