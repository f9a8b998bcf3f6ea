using System.Diagnostics;
using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>
/// Starts a child in a session of its own with its output appended to its log file.
/// </summary>
/// <remarks>
/// <para><c>setsid</c> makes the child a session and process-group leader, so a Ctrl-C in the terminal reaches only the
/// agent (which then stops the children in order: otherwise Redis would be interrupted at the same moment as the silos
/// that still need it), and one signal to the group reaches whatever the child started. Started from a process that
/// is not a group leader, <c>setsid</c> execs without forking, so the pid is the child's.</para>
/// <para>The <c>sh</c> wrapper redirects stdout and stderr to the log (appending, so a restart keeps the previous run's
/// end) and stdin from /dev/null; the log stays complete even if the agent itself dies.</para>
/// </remarks>
internal static class ProcessLauncher
{
    /// <summary>Starts <paramref name="spec"/>; the caller owns the returned process.</summary>
    public static Process Start(ProcessOptions spec, string logPath)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        if (!string.IsNullOrWhiteSpace(spec.Shell))
        {
            // $0 is the log path; the operator's line follows on its own line, so it may hold anything sh accepts.
            start.ArgumentList.Add("exec >>\"$0\" 2>&1 </dev/null\n" + spec.Shell);
            start.ArgumentList.Add(logPath);
        }
        else
        {
            start.ArgumentList.Add("exec >>\"$0\" 2>&1 </dev/null; exec \"$@\"");
            start.ArgumentList.Add(logPath);
            start.ArgumentList.Add(spec.Command!);
            foreach (var argument in spec.Arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        if (!string.IsNullOrWhiteSpace(spec.WorkingDirectory))
        {
            start.WorkingDirectory = spec.WorkingDirectory;
        }

        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"setsid did not start for {spec.Name}.");
    }

    /// <summary>The last <paramref name="lines"/> lines of a log, for a failure message; empty when there is none.</summary>
    public static IReadOnlyList<string> Tail(string logPath, int lines = 20)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // The end is enough: 64 KiB holds far more than 20 lines of any log here.
            stream.Seek(Math.Max(0, stream.Length - 64 * 1024), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return [.. all.Reverse().SkipWhile(string.IsNullOrEmpty).Take(lines).Reverse()];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
