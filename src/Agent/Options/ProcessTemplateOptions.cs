namespace Actors.Agent.Options;

/// <summary>
/// How <c>grow silos N</c> or <c>grow gateways N</c> starts one more (docs/agent.md, Growing): <see cref="Process"/>
/// with placeholders, after <see cref="Prepare"/> (e.g. creating a silo's XMPP account).
/// </summary>
/// <remarks>
/// Each new process gets the next free index (<c>{index}</c>, above every process of its kind the agent knows),
/// <c>{name}</c> from <see cref="NameFormat"/>, a fresh random <c>{password}</c>, and for each of <see cref="Ports"/> a
/// free port on 127.0.0.1 as <c>{port:NAME}</c>.
/// </remarks>
public sealed class ProcessTemplateOptions
{
    /// <summary>The name of number <c>{index}</c>, e.g. <c>silo-{index}</c>.</summary>
    public string NameFormat { get; set; } = "silo-{index}";

    /// <summary>The port names to allocate, e.g. <c>silo</c> and <c>gateway</c> for a silo, <c>http</c> for a gateway.</summary>
    public List<string> Ports { get; } = [];

    /// <summary>A <c>sh -c</c> line run before the first start, e.g. registering a silo's XMPP account; empty for none.</summary>
    public string? Prepare { get; set; }

    /// <summary>The process, with placeholders; its <see cref="ProcessOptions.Name"/> is ignored.</summary>
    public ProcessOptions Process { get; set; } = new();

    /// <summary>True when configured (a start command is given).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Process.Shell) || !string.IsNullOrWhiteSpace(Process.Command);
}
