using System.Runtime.InteropServices;

namespace Actors.Agent.Supervision;

/// <summary>POSIX signals to a child's process group (every child is a session and group leader, see <see cref="ProcessLauncher"/>).</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool SendToGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    /// <summary>True while any process of the group is alive (or a zombie not reaped yet).</summary>
    public static bool GroupAlive(int groupId) => groupId > 1 && Kill(-groupId, 0) == 0;

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
