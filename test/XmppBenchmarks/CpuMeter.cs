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

    /// <summary>The first process below <paramref name="root"/> (children first, then theirs) whose command is <paramref name="name"/>; null when none runs.</summary>
    public static int? DescendantNamed(int root, string name)
    {
        var parents = new Dictionary<int, List<int>>();
        var names = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                names[pid] = stat[(open + 1)..close];
                var parent = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                (parents.TryGetValue(parent, out var children) ? children : parents[parent] = []).Add(pid);
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in parents.GetValueOrDefault(pid) ?? [])
            {
                if (names.GetValueOrDefault(child) == name)
                {
                    return child;
                }

                queue.Enqueue(child);
            }
        }

        return null;
    }

    /// <summary>The 1-minute load average.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>The 1, 5 and 15-minute load averages, space-separated.</summary>
    public static string LoadAverages() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    /// <summary>Busy CPU time of the whole machine so far (every process, not only ours): /proc/stat minus idle and iowait.</summary>
    public static TimeSpan MachineBusyTime()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.Length > 7 ? fields[7] : 0);
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
