namespace Actors.Agent.Options;

/// <summary>
/// The machine agent (DESIGN §9, docs/agent.md), bound from <c>Actors:Agent</c> (JSON given with <c>--config</c>,
/// appsettings.json, environment <c>Actors__Agent__…</c>).
/// </summary>
public sealed class AgentOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Actors:Agent";

    /// <summary>The machine's name in presence and replies; the host name when empty.</summary>
    public string? Machine { get; set; }

    /// <summary>Where each process's stdout and stderr go, one <c>&lt;name&gt;.log</c> each.</summary>
    public string LogDirectory { get; set; } = "logs";

    /// <summary>A file holding the agent's pid while it runs (deleted on exit), for scripts that need the supervisor.</summary>
    public string? PidFile { get; set; }

    /// <summary>The processes, in start order.</summary>
    public List<ProcessOptions> Processes { get; } = [];

    /// <summary>One-shot commands after a group is ready.</summary>
    public List<SetupOptions> Setups { get; } = [];

    /// <summary>How <c>grow silos</c> starts one.</summary>
    public ProcessTemplateOptions SiloTemplate { get; set; } = new();

    /// <summary>How <c>grow gateways</c> starts one.</summary>
    public ProcessTemplateOptions GatewayTemplate { get; set; } = new() { NameFormat = "gateway-{index}" };

    /// <summary>The template <c>grow</c> uses for <paramref name="kind"/>; null for kinds that cannot grow.</summary>
    public ProcessTemplateOptions? Template(ProcessKind kind) => kind switch
    {
        ProcessKind.Silo => SiloTemplate,
        ProcessKind.Gateway => GatewayTemplate,
        _ => null,
    };

    /// <summary>Directories whose subdirectories are processes (Redis nodes added by <c>./actors redis add-shard</c>).</summary>
    public List<NodeDirectoryOptions> NodeDirectories { get; } = [];

    /// <summary>The first restart delay after a crash, doubling with every further crash.</summary>
    public TimeSpan FirstRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest restart delay.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This many crashes within <see cref="CrashWindow"/> and the process is given up on (like systemd's StartLimitBurst).</summary>
    public int CrashLimit { get; set; } = 5;

    /// <summary>The window of <see cref="CrashLimit"/>; a process that ran this long without a crash starts over at the first delay.</summary>
    public TimeSpan CrashWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The XMPP side; none when its JID is empty.</summary>
    public AgentXmppOptions Xmpp { get; set; } = new();

    /// <summary>The machine name to show.</summary>
    public string MachineName => string.IsNullOrWhiteSpace(Machine) ? System.Environment.MachineName : Machine;
}
