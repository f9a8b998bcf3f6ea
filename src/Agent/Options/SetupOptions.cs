namespace Actors.Agent.Options;

/// <summary>
/// A one-shot command run once the processes of <see cref="AfterGroup"/> are all ready, before the next group starts,
/// e.g. creating the Redis Cluster on its first start. Its output goes to the console and <c>&lt;name&gt;.log</c>; a
/// non-zero exit or a timeout fails the start.
/// </summary>
public sealed class SetupOptions
{
    /// <summary>Name, for the console and the log file.</summary>
    public string Name { get; set; } = "";

    /// <summary>The group whose processes must be ready first.</summary>
    public string AfterGroup { get; set; } = "";

    /// <summary>A <c>sh -c</c> line. Make it idempotent (it runs on every start of the agent), or see <see cref="Creates"/>.</summary>
    public string Shell { get; set; } = "";

    /// <summary>Working directory; the agent's when empty.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>When this file exists the setup is skipped (the command creates it once done).</summary>
    public string? Creates { get; set; }

    /// <summary>How long it may run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);
}
