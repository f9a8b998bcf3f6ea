using System.Globalization;
using System.Text;
using Actors.Agent.Diagnostics;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.AdHoc;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Logging;

namespace Actors.Agent.Xmpp;

/// <summary>
/// The agent's chat commands (docs/agent.md, Commands). The table is the only list: help, dispatch and role checks
/// read it, as in the silo bridge.
/// </summary>
public sealed partial class AgentXmppService
{
    private static readonly System.Xml.Linq.XName Delay = System.Xml.Linq.XName.Get("delay", "urn:xmpp:delay");

    private ChatCommand[] CreateCommands() =>
    [
        new("help", "", "what you may do here", BridgeRoles.Watcher, request => Task.FromResult<ChatReply>(Help(_roles.Resolve(request.From)))),
        new("processes", "", "every process on this machine: pid, state, restarts, uptime", BridgeRoles.Watcher, _ => Task.FromResult<ChatReply>(ProcessTable()))
        {
            AdHoc = new AdHocSpec($"Processes on {_machineName}"),
        },
        new("status", "", "every silo, gateway and agent whose presence this agent sees", BridgeRoles.Watcher, _ => Task.FromResult<ChatReply>(StatusText()))
        {
            AdHoc = new AdHocSpec("System status"),
        },
        new("restart", "<process>", "stop a process (if it runs) and start it again; revives one that was given up on", BridgeRoles.Operator, RestartAsync)
        {
            AdHoc = new AdHocSpec("Restart a process")
            {
                Instructions = "Stops the process if it runs, starts it again and waits until it is ready; revives one that was given up on.",
                Fields = () => [new FormField("process", "Process", FormFieldType.ListSingle) { Options = [.. _supervisor.Snapshot().Select(p => p.Name)] }],
                Arguments = values => values["process"],
            },
        },
        new("grow", "silos|gateways <N>", "start N more silos (fresh ports and XMPP accounts) or gateways here", BridgeRoles.Operator, request => ResizeAsync(request, grow: true))
        {
            AdHoc = ResizeForm("Grow: start more silos or gateways", "Each new one is started from its template with fresh ports, and is ready before the next starts."),
        },
        new("shrink", "silos|gateways <N>", "stop the N newest silos (drained first: they leave the cluster gracefully) or gateways here", BridgeRoles.Operator, request => ResizeAsync(request, grow: false))
        {
            AdHoc = ResizeForm("Shrink: stop the newest silos or gateways", "Silos are drained first (their grains move to the others); at least one of each stays."),
        },
    ];

    /// <summary>
    /// <c>status</c>: the nodes as their presence shows them (this agent included), grouped by kind. Only accounts of
    /// <c>Nodes</c> count; a kind with none says which setting makes them visible.
    /// </summary>
    private string StatusText()
    {
        var nodes = _nodes.Snapshot();
        var counts = string.Join(", ", new[] { NodeKind.Silo, NodeKind.Gateway, NodeKind.Agent }
            .Select(kind => NodeListing.Count(kind, nodes.Count(n => n.Kind == kind))));
        var hint = _options.Nodes.Count == 0 ? " (Actors:Agent:Xmpp:Nodes names none)" : " (their accounts are in Actors:Agent:Xmpp:Nodes? subscribed?)";
        return $"Seen from {_machineName}: {counts}\n{NodeListing.Describe(nodes, [NodeKind.Silo, NodeKind.Gateway, NodeKind.Agent], hint)}";
    }

    /// <summary>The form of grow and shrink: what (silos or gateways) and how many, the chat command's own limits.</summary>
    private static AdHocSpec ResizeForm(string title, string instructions) => new(title)
    {
        Instructions = instructions,
        Fields = () =>
        [
            new FormField("kind", "What", FormFieldType.ListSingle) { Options = ["silos", "gateways"], Default = "silos" },
            new FormField("count", "How many", FormFieldType.TextSingle) { Range = (1, ProcessSupervisor.MaxStep), Default = "1" },
        ],
        Arguments = values => values["kind"] + " " + values["count"],
    };

    private void OnMessage(object? sender, Message message)
    {
        if (sender is not XmppClient client || message.From is not { } from
            || message.Type is MessageType.Error or MessageType.GroupChat or MessageType.Headline
            || message.Body is not { } body || string.IsNullOrWhiteSpace(body) || from.Bare == _jid.Bare)
        {
            return;
        }

        _ = Task.Run(() => HandleAsync(client, message, body.Trim()), CancellationToken.None);
    }

    private async Task HandleAsync(XmppClient client, Message message, string text)
    {
        var from = message.From!;
        AgentLog.LogCommand(_logger, from.ToString(), text.Length <= 80 ? text : text[..80]);
        string reply;
        try
        {
            reply = (await ExecuteAsync(message, text).ConfigureAwait(false)).Text;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            AgentLog.LogCommandFailed(_logger, ex, text, from.ToString());
            reply = $"Sorry, that failed on the agent ({ex.GetType().Name}: {ex.Message}).";
        }

        try
        {
            var answer = new Message(from, reply, message.Type == MessageType.Normal ? MessageType.Normal : MessageType.Chat) { Id = Guid.NewGuid().ToString("N") };
            await client.SendAsync(answer, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppException or ObjectDisposedException or OperationCanceledException)
        {
            AgentLog.LogReplyFailed(_logger, ex, from.ToString());
        }
    }

    /// <summary>Looks the command up, checks the sender's role and the message's age, runs it.</summary>
    private async Task<ChatReply> ExecuteAsync(Message message, string text)
    {
        var from = message.From!;
        var roles = _roles.Resolve(from);
        var (name, rest) = Split(text);
        name = name.ToLowerInvariant();
        var command = Array.Find(_commands, c => c.Name == name);
        if (command is null)
        {
            AgentInstruments.CountCommand("unknown", AgentInstruments.Unknown);
            return $"Unknown command '{(name.Length <= 20 ? name : name[..20] + "…")}'.\n{Help(roles)}";
        }

        if (!roles.HasFlag(command.Role))
        {
            AgentInstruments.CountCommand(command.Name, AgentInstruments.Denied);
            var role = RoleSet.Describe(roles);
            return $"'{command.Name}' needs the {RoleSet.Describe(command.Role)} role; {from.Bare} is {(role == "no role" ? "without a role" : (role[0] == 'o' ? "an " : "a ") + role)} here.";
        }

        // A command stored offline and delivered late (a grow, a restart) must not run long after it was meant.
        foreach (var delay in message.Element.Elements(Delay))
        {
            if (DateTimeOffset.TryParse((string?)delay.Attribute("stamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp)
                && DateTimeOffset.UtcNow - stamp is var age && age > _options.MaxCommandAge)
            {
                AgentInstruments.CountCommand(command.Name, AgentInstruments.Stale);
                return string.Create(CultureInfo.InvariantCulture, $"Refused: this command was delayed {age.TotalSeconds:0} s (stored while the agent was offline?), more than {_options.MaxCommandAge.TotalSeconds:0} s; nothing was done. Send it again if you still mean it.");
            }
        }

        ChatReply reply;
        try
        {
            reply = await command.Handler(new ChatRequest(from, message, rest)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            AgentInstruments.CountCommand(command.Name, AgentInstruments.Failed);
            throw;
        }

        // Answered: the command ran and replied, which may be a usage hint or "refused: at least one silo stays".
        AgentInstruments.CountCommand(command.Name, AgentInstruments.Answered);
        return reply;
    }

    private string Help(BridgeRoles roles)
    {
        var allowed = _commands.Where(c => roles.HasFlag(c.Role)).ToList();
        if (allowed.Count == 0)
        {
            return "You have no role on this agent; ask its operator to add your JID to Actors:Agent:Xmpp:Watchers.";
        }

        var width = allowed.Max(c => c.Usage.Length);
        var help = new StringBuilder($"Agent of {_machineName}. Commands for you ({RoleSet.Describe(roles)}):");
        foreach (var c in allowed)
        {
            help.Append('\n').Append(c.Usage.PadRight(width)).Append("  ").Append(c.Summary);
        }

        return help.ToString();
    }

    private string ProcessTable()
    {
        var now = DateTimeOffset.UtcNow;
        var processes = _supervisor.Snapshot();
        var rows = new List<string[]> { new[] { "process", "pid", "state", "restarts", "uptime" } };
        var notes = new StringBuilder();
        foreach (var p in processes)
        {
            rows.Add(
            [
                p.Name,
                p.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                ProcessSupervisor.StateText(p.State),
                p.Restarts.ToString(CultureInfo.InvariantCulture),
                p.Pid is not null && p.StartedAt is { } started ? Uptime(now - started) : "-",
            ]);
            if (p.State is ProcessState.GivenUp or ProcessState.BackingOff or ProcessState.Exited or ProcessState.Stopped && p.Reason is { } reason)
            {
                notes.Append('\n').Append(p.Name).Append(": ").Append(reason);
            }
        }

        var running = processes.Count(p => p.State == ProcessState.Running);
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var table = string.Join('\n', rows.Select(r => string.Join("  ", r.Select((cell, i) => i is 1 or 3 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd()));
        return $"{running} of {processes.Count} processes running on {_machineName}\n{table}{notes}";
    }

    private async Task<ChatReply> RestartAsync(ChatRequest request)
    {
        var (name, extra) = Split(request.Arguments);
        if (name.Length == 0 || extra.Length > 0)
        {
            return $"Usage: restart <process>. Processes: {string.Join(", ", _supervisor.Snapshot().Select(p => p.Name))}.";
        }

        return await _supervisor.RestartAsync(name, request.From.Bare.ToString()).ConfigureAwait(false);
    }

    private async Task<ChatReply> ResizeAsync(ChatRequest request, bool grow)
    {
        var verb = grow ? "grow" : "shrink";
        var (what, rest) = Split(request.Arguments);
        var (countText, extra) = Split(rest);
        ProcessKind? kind = what.ToLowerInvariant() switch
        {
            "silos" or "silo" => ProcessKind.Silo,
            "gateways" or "gateway" => ProcessKind.Gateway,
            _ => null,
        };
        if (kind is null || extra.Length > 0
            || !int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ProcessSupervisor.MaxStep)
        {
            return $"Usage: {verb} silos <N> or {verb} gateways <N>, N from 1 to {ProcessSupervisor.MaxStep}.";
        }

        var by = request.From.Bare.ToString();
        return grow
            ? await _supervisor.GrowAsync(kind.Value, count, by).ConfigureAwait(false)
            : await _supervisor.ShrinkAsync(kind.Value, count, by).ConfigureAwait(false);
    }

    private static string Uptime(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s");

    private static (string Head, string Tail) Split(string text)
    {
        text = text.Trim();
        var space = text.AsSpan().IndexOfAny(' ', '\t', '\n');
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }
}
