using System.Globalization;

namespace Actors.Agent.Supervision;

/// <summary>
/// The children the agent started, on disk (<c>&lt;LogDirectory&gt;/agent.children</c>: pid, start time, name), so that
/// an agent that was SIGKILLed — its children run on in their own sessions — is cleaned up after by the next one.
/// </summary>
/// <remarks>
/// A pid alone could name an unrelated process by the time the next agent reads the file; the start time from
/// /proc/&lt;pid&gt;/stat (clock ticks since boot) makes the pair unique, so only the very process that was started is
/// ever signalled.
/// </remarks>
internal sealed class ChildRegistry(string path)
{
    // A list, not a dictionary: the file keeps start order, and the next agent stops them newest first.
    private readonly List<(int Pid, long StartTime, string Name)> _children = [];
    private readonly Lock _lock = new();

    /// <summary>Records a started child.</summary>
    public void Add(int pid, string name)
    {
        if (StartTime(pid) is not { } start)
        {
            return;
        }

        lock (_lock)
        {
            _children.RemoveAll(c => c.Pid == pid);
            _children.Add((pid, start, name));
            Save();
        }
    }

    /// <summary>Forgets a child that is gone.</summary>
    public void Remove(int pid)
    {
        lock (_lock)
        {
            if (_children.RemoveAll(c => c.Pid == pid) > 0)
            {
                Save();
            }
        }
    }

    /// <summary>The children a previous agent recorded that still run (same pid and start time), oldest first.</summary>
    public IReadOnlyList<(int Pid, string Name)> Leftovers()
    {
        var found = new List<(int, string)>();
        try
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var parts = line.Split(' ', 3);
                if (parts.Length == 3
                    && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                    && StartTime(pid) == start)
                {
                    found.Add((pid, parts[2]));
                }
            }
        }
        catch (FileNotFoundException)
        {
        }
        catch (DirectoryNotFoundException)
        {
        }

        return found;
    }

    /// <summary>The process's start time in clock ticks since boot; null when it does not exist.</summary>
    internal static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22; the command name (field 2) is in parentheses and may hold spaces, so count after its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private void Save()
    {
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, _children.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Pid} {c.StartTime} {c.Name}")));
        File.Move(temporary, path, overwrite: true);
    }
}
