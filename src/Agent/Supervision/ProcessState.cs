namespace Actors.Agent.Supervision;

/// <summary>Where a supervised process is in its life (docs/agent.md, States).</summary>
public enum ProcessState
{
    /// <summary>Not started yet.</summary>
    Pending,

    /// <summary>Started, not ready yet (its port is not open yet).</summary>
    Starting,

    /// <summary>Ready and running.</summary>
    Running,

    /// <summary>Crashed; waiting for the back-off delay before the next start.</summary>
    BackingOff,

    /// <summary>Crashed too often within the window; not restarted until an operator says <c>restart</c>.</summary>
    GivenUp,

    /// <summary>Exited 0 by itself (a drained silo): left on purpose, not restarted.</summary>
    Exited,

    /// <summary>Being stopped by the agent.</summary>
    Stopping,

    /// <summary>Stopped by the agent (shutdown, <c>shrink</c>, a removed node).</summary>
    Stopped,
}
