using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>
/// One process under the supervisor: its resolved options and its mutable state. Every field is read and written
/// under the instance's lock; <see cref="Snapshot"/> copies it out.
/// </summary>
/// <remarks>
/// At most one supervision loop owns the process at a time (<see cref="Loop"/>); stopping is cancelling that loop's
/// token and awaiting it, so the child is signalled and reaped by exactly one owner.
/// </remarks>
internal sealed class SupervisedProcess(ProcessOptions spec, string logPath, int? readyPort)
{
    private readonly List<DateTimeOffset> _starts = [];

    public Lock Gate { get; } = new();

    public ProcessOptions Spec { get; } = spec;

    public string Name => Spec.Name;

    public string Group => string.IsNullOrWhiteSpace(Spec.Group) ? Spec.Name : Spec.Group;

    public string LogPath { get; } = logPath;

    public int? ReadyPort { get; } = readyPort;

    public ProcessState State { get; set; } = ProcessState.Pending;

    public int? Pid { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? ReadyAt { get; set; }

    public int Restarts { get; set; }

    /// <summary>How many runs became ready: a wait for readiness is over once this grows, even if that run crashed right after.</summary>
    public int ReadyCount { get; set; }

    public string? Reason { get; set; }

    /// <summary>Crash times within the window, oldest first.</summary>
    public List<DateTimeOffset> Crashes { get; } = [];

    /// <summary>The loop's cancellation (stop request) and task; null when no loop runs.</summary>
    public (CancellationTokenSource Stop, Task Task)? Loop { get; set; }

    /// <summary>How the last run that the agent stopped ended, e.g. <c>exit 0 after 3.2 s</c>.</summary>
    public string? LastStop { get; set; }

    /// <summary>Where in the log this run's output begins (for <see cref="ProcessOptions.ReadyLogText"/>).</summary>
    public long LogOffset { get; set; }

    public void RecordStart(DateTimeOffset at, int pid)
    {
        _starts.Add(at);
        StartedAt = at;
        ReadyAt = null;
        Pid = pid;
        State = ProcessState.Starting;
    }

    public ProcessSnapshot Snapshot()
    {
        lock (Gate)
        {
            return new ProcessSnapshot(Name, Spec.Kind, Group, State, Pid, StartedAt, ReadyAt, Restarts, Reason, [.. _starts], LogPath);
        }
    }
}
