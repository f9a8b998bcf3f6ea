using System.Globalization;

namespace Actors.TestInfrastructure.Processes;

/// <summary>
/// A process as seen in /proc: PID plus its start time, so a recycled PID is not mistaken for
/// the original process.
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartTime">Field 22 of /proc/PID/stat (clock ticks since boot).</param>
/// <param name="Name">The command name (field 2 of /proc/PID/stat).</param>
public sealed record ProcessIdentity(int Pid, long StartTime, string Name)
{
    /// <summary>True while the process exists and is not a zombie.</summary>
    public bool IsAlive => TryRead(Pid) is { } now && now.Identity.StartTime == StartTime && now.State != 'Z';

    /// <summary>The process and all its descendants, found by scanning /proc.</summary>
    public static IReadOnlyList<ProcessIdentity> TreeOf(int rootPid)
    {
        var all = new List<(ProcessIdentity Identity, int ParentPid, char State)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(pid) is { } entry)
            {
                all.Add(entry);
            }
        }

        var result = new List<ProcessIdentity>();
        var frontier = new Queue<int>([rootPid]);
        var seen = new HashSet<int>();
        while (frontier.TryDequeue(out var pid))
        {
            if (!seen.Add(pid))
            {
                continue;
            }

            foreach (var entry in all)
            {
                if (entry.Identity.Pid == pid && entry.State != 'Z')
                {
                    result.Add(entry.Identity);
                }

                if (entry.ParentPid == pid)
                {
                    frontier.Enqueue(entry.Identity.Pid);
                }
            }
        }

        return result;
    }

    private static (ProcessIdentity Identity, int ParentPid, char State)? TryRead(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name sits in parentheses and may itself contain spaces or ')'.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var name = stat[(open + 1)..close];
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field 4 is the parent PID; field 22 the start time.
        var state = fields[0][0];
        var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var start = long.Parse(fields[19], CultureInfo.InvariantCulture);
        return (new ProcessIdentity(pid, start, name), parent, state);
    }
}
