using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>What a supervised process looks like at one moment (for <c>processes</c>, presence and tests).</summary>
/// <param name="Name">Its name.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Group">Its stop group.</param>
/// <param name="State">Its state.</param>
/// <param name="Pid">The current run's pid, when one runs.</param>
/// <param name="StartedAt">When the current (or last) run started.</param>
/// <param name="ReadyAt">When the current run became ready; null while not.</param>
/// <param name="Restarts">Starts after the first (automatic and by <c>restart</c>).</param>
/// <param name="Reason">Why it is not running (given up, exited, stopped), or the last crash while it runs again.</param>
/// <param name="Starts">When each run started, oldest first (the back-off between them shows here).</param>
/// <param name="LogPath">Its log file.</param>
public sealed record ProcessSnapshot(
    string Name,
    ProcessKind Kind,
    string Group,
    ProcessState State,
    int? Pid,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ReadyAt,
    int Restarts,
    string? Reason,
    IReadOnlyList<DateTimeOffset> Starts,
    string LogPath)
{
    /// <summary>True while a run is alive or about to be started again.</summary>
    public bool IsActive => State is ProcessState.Starting or ProcessState.Running or ProcessState.BackingOff or ProcessState.Pending;
}
