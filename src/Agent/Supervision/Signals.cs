using System.Runtime.InteropServices;

namespace Actors.Agent.Supervision;

/// <summary>POSIX signals to a child's process group (every child is a session and group leader, see <see cref="ProcessLauncher"/>).</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool SendToGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    /// <summary>
    /// True while a process of the group runs. Zombies do not count: an orphan waits to be reaped by whatever init the
    /// machine has, and some (a container's or a VM's) reap slowly, which made every stop wait out its grace time.
    /// </summary>
    public static bool GroupAlive(int groupId)
    {
        if (groupId <= 1 || Kill(-groupId, 0) != 0)
        {
            return false;
        }

        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(directory);
                if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
                {
                    continue;
                }

                try
                {
                    // After the command name's ')': state, ppid, pgrp, …
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 4);
                    if (fields[0] != "Z" && fields[2] == groupId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
                {
                    // Gone meanwhile.
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true; // No /proc: trust kill(0).
        }
    }

    /// <summary>True while the process exists.</summary>
    public static bool Alive(int pid) => pid > 1 && Kill(pid, 0) == 0;

    /// <summary>An exit status in words: <c>exited with code 3</c>, <c>was killed by SIGKILL</c> (.NET reports a signal as 128 + its number).</summary>
    public static string DescribeExit(int exitCode) => exitCode > 128 && exitCode < 128 + 65
        ? $"was killed by {Name(exitCode - 128)}"
        : $"exited with code {exitCode}";

    private static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
