namespace Actors.Agent.Options;

/// <summary>
/// One process the agent starts and keeps running (docs/agent.md, Configuration): how to start it, when it counts as
/// ready, how it is restarted and how long it may take to stop. An entry of <c>Actors:Agent:Processes</c>, the
/// <c>Process</c> of <c>Actors:Agent:SiloTemplate</c> and <c>GatewayTemplate</c>, and the <c>Template</c> of
/// <c>Actors:Agent:NodeDirectories</c>.
/// </summary>
/// <remarks>
/// In templates, <c>{name}</c>, <c>{index}</c>, <c>{password}</c>, <c>{port:NAME}</c> (silo template) and <c>{dir}</c>,
/// <c>{path}</c> (node directories) are replaced in every string, <see cref="ReadyPort"/> included.
/// </remarks>
public sealed class ProcessOptions
{
    /// <summary>Unique name, e.g. <c>silo-2</c>; also the log file's name (<c>&lt;name&gt;.log</c>) and what chat commands take.</summary>
    public string Name { get; set; } = "";

    /// <summary>Processes of one group are stopped together, groups in the reverse order of their first process; setups run after a group.</summary>
    public string? Group { get; set; }

    /// <summary>What it is (counted in presence; <c>grow</c>/<c>shrink silos</c> act on <see cref="ProcessKind.Silo"/>).</summary>
    public ProcessKind Kind { get; set; }

    /// <summary>A <c>sh -c</c> line; use <c>exec</c> for the last command so the process is the shell's pid. Either this or <see cref="Command"/>.</summary>
    public string? Shell { get; set; }

    /// <summary>An executable (searched in PATH), run with <see cref="Arguments"/> and no shell.</summary>
    public string? Command { get; set; }

    /// <summary>Arguments of <see cref="Command"/>.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Working directory; the agent's when empty.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Environment variables added to the agent's own.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Ready once this TCP port on <see cref="ReadyHost"/> accepts a connection; a number (or a placeholder in templates). Empty: ready once started.</summary>
    public string? ReadyPort { get; set; }

    /// <summary>Host of <see cref="ReadyPort"/>.</summary>
    public string ReadyHost { get; set; } = "127.0.0.1";

    /// <summary>Also ready only once a GET of this URL answers 200 (e.g. the gateway's <c>/readyz</c>).</summary>
    public string? ReadyUrl { get; set; }

    /// <summary>
    /// Also ready only once the process has written this text to its log since it started, e.g. a .NET host's
    /// <c>Application started.</c>, which a silo prints only once it is Active (its ports open earlier, while it joins).
    /// </summary>
    public string? ReadyLogText { get; set; }

    /// <summary>How long a start may take to become ready before it counts as failed.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first restart delay after a crash (doubling from here to the agent's <see cref="AgentOptions.MaxRestartDelay"/>); the agent's default when null.</summary>
    public TimeSpan? FirstRestartDelay { get; set; }

    /// <summary>Restart also after exit code 0. Default off: a process that exits 0 left on purpose (a drained silo).</summary>
    public bool RestartOnCleanExit { get; set; }
}
