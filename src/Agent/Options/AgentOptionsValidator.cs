using System.Globalization;
using Actors.XmppBridge.Client.Roles;

namespace Actors.Agent.Options;

/// <summary>Checks <see cref="AgentOptions"/> at start, so a bad config fails before anything starts, naming the option.</summary>
public static class AgentOptionsValidator
{
    /// <summary>Every problem found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = AgentOptions.SectionName;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in options.Processes)
        {
            if (string.IsNullOrWhiteSpace(p.Name))
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.Processes)}: every process needs a {nameof(ProcessOptions.Name)}.");
            }
            else if (!names.Add(p.Name))
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.Processes)}: the name '{p.Name}' is used twice.");
            }

            CheckProcess(p, $"{Prefix}:{nameof(AgentOptions.Processes)}:{p.Name}", template: false, errors);
        }

        var groups = options.Processes.Select(p => string.IsNullOrWhiteSpace(p.Group) ? p.Name : p.Group).ToHashSet(StringComparer.Ordinal);
        foreach (var s in options.Setups)
        {
            if (string.IsNullOrWhiteSpace(s.Name) || string.IsNullOrWhiteSpace(s.Shell) || !groups.Contains(s.AfterGroup))
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.Setups)}: '{s.Name}' needs a {nameof(SetupOptions.Name)}, a {nameof(SetupOptions.Shell)} and an {nameof(SetupOptions.AfterGroup)} naming a group of the processes ({string.Join(", ", groups)}).");
            }
        }

        foreach (var (template, name) in new[] { (options.SiloTemplate, nameof(AgentOptions.SiloTemplate)), (options.GatewayTemplate, nameof(AgentOptions.GatewayTemplate)) })
        {
            if (!template.IsConfigured)
            {
                continue;
            }

            if (!template.NameFormat.Contains("{index}", StringComparison.Ordinal))
            {
                errors.Add($"{Prefix}:{name}:{nameof(ProcessTemplateOptions.NameFormat)} must contain {{index}}.");
            }

            CheckProcess(template.Process, $"{Prefix}:{name}", template: true, errors);
        }

        foreach (var d in options.NodeDirectories)
        {
            if (string.IsNullOrWhiteSpace(d.Path) || !d.Template.Name.Contains("{dir}", StringComparison.Ordinal))
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.NodeDirectories)}: each needs a {nameof(NodeDirectoryOptions.Path)} and a template {nameof(ProcessOptions.Name)} with {{dir}}.");
            }

            CheckProcess(d.Template, $"{Prefix}:{nameof(AgentOptions.NodeDirectories)}:{d.Path}", template: true, errors);
        }

        if (options.CrashLimit < 1 || options.FirstRestartDelay <= TimeSpan.Zero || options.MaxRestartDelay < options.FirstRestartDelay || options.CrashWindow <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}: {nameof(AgentOptions.CrashLimit)} must be at least 1, {nameof(AgentOptions.FirstRestartDelay)} and {nameof(AgentOptions.CrashWindow)} above zero, {nameof(AgentOptions.MaxRestartDelay)} at least {nameof(AgentOptions.FirstRestartDelay)}.");
        }

        var xmpp = options.Xmpp;
        if (xmpp.IsConfigured)
        {
            if (!XmppBridge.Client.Stanzas.Jid.TryParse(xmpp.Jid, out var jid) || jid.Local is null)
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.Xmpp)}:{nameof(AgentXmppOptions.Jid)} '{xmpp.Jid}' is not a user@domain JID.");
            }

            if (string.IsNullOrEmpty(xmpp.Password))
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.Xmpp)}:{nameof(AgentXmppOptions.Password)} is required with a JID.");
            }

            foreach (var server in xmpp.Servers)
            {
                if (!XmppBridge.Client.Options.XmppServerEndpoint.TryParse(server, out _))
                {
                    errors.Add($"{Prefix}:{nameof(AgentOptions.Xmpp)}:{nameof(AgentXmppOptions.Servers)} entry '{server}' must be host:port with a port of 1-65535.");
                }
            }

            foreach (var entry in xmpp.Watchers.Concat(xmpp.Operators))
            {
                if (!JidPattern.TryParse(entry, out _))
                {
                    errors.Add($"{Prefix}:{nameof(AgentOptions.Xmpp)}: the role entry '{entry}' is neither user@domain nor *@domain.");
                }
            }

            if (!TrustedAccounts.TryCreate(xmpp.Nodes, own: null, "silo", out _, out var nodesError))
            {
                errors.Add($"{Prefix}:{nameof(AgentOptions.Xmpp)}:{nameof(AgentXmppOptions.Nodes)}: {nodesError}.");
            }
        }

        return errors;
    }

    private static void CheckProcess(ProcessOptions p, string where, bool template, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(p.Shell) == string.IsNullOrWhiteSpace(p.Command))
        {
            errors.Add($"{where}: give either {nameof(ProcessOptions.Shell)} or {nameof(ProcessOptions.Command)}.");
        }

        if (!template && !string.IsNullOrWhiteSpace(p.ReadyPort)
            && !(int.TryParse(p.ReadyPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536))
        {
            errors.Add($"{where}:{nameof(ProcessOptions.ReadyPort)} '{p.ReadyPort}' is not a port number.");
        }

        if (p.StopGrace <= TimeSpan.Zero || p.ReadyTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{where}: {nameof(ProcessOptions.StopGrace)} and {nameof(ProcessOptions.ReadyTimeout)} must be above zero.");
        }
    }
}
