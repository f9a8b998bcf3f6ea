using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Chat commands for people in any XMPP client (DESIGN.md §5): short plain-text replies, aligned for a chat window.
/// </summary>
internal sealed partial class XmppBridgeService
{
    private static readonly ChatCommand[] Commands =
    [
        new("help", "", "what you may do here", BridgeRoles.Watcher),
        new("status", "", "the cluster, one silo per line", BridgeRoles.Watcher),
        new("where", "<root>", "the silo hosting a root", BridgeRoles.Watcher),
        new("get", "<root> [pointer]", "read a document, or the part at a JSON Pointer", BridgeRoles.Reader),
        new("put", "<root> <json>", "replace a document", BridgeRoles.Writer),
        new("merge", "<root> <json>", "RFC 7386 merge patch", BridgeRoles.Writer),
        new("patch", "<root> <json-array>", "RFC 6902 JSON Patch", BridgeRoles.Writer),
        new("delete", "<root>", "delete a root", BridgeRoles.Writer),
        new("drain", "", "this silo leaves the cluster gracefully", BridgeRoles.Operator),
    ];

    private async Task HandleChatAsync(XmppClient client, Message message, string text)
    {
        var from = message.From!;
        string reply;
        var drain = false;
        try
        {
            (reply, drain) = await ExecuteChatAsync(from, message.Id, text).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BridgeLog.LogRequestFailed(_logger, ex, from.ToString());
            reply = $"Sorry, that failed inside the cluster ({ex.GetType().Name}). Nothing was changed by this message unless it said so; send it again to retry.";
        }

        var answer = new Message(from, reply, message.Type == MessageType.Normal ? MessageType.Normal : MessageType.Chat) { Id = NewId() };
        await SendAsync(client, answer, from).ConfigureAwait(false);
        if (drain)
        {
            await DrainAsync(from).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one command line; returns the reply and whether to drain after sending it.</summary>
    internal async Task<(string Reply, bool Drain)> ExecuteChatAsync(Jid from, string? messageId, string text)
    {
        var roles = _roles.Resolve(from);
        var (name, rest) = Split(text);
        name = name.ToLowerInvariant();
        var command = Array.Find(Commands, c => c.Name == name);
        if (command is null)
        {
            return ($"Unknown command '{Shorten(name)}'.\n{Help(roles)}", false);
        }

        if (!roles.HasFlag(command.Role))
        {
            return ($"'{command.Name}' needs the {RoleSet.Describe(command.Role)} role; {from.Bare} is {Article(RoleSet.Describe(roles))}.", false);
        }

        switch (command.Name)
        {
            case "help":
                return (Help(roles), false);
            case "status":
                return (await StatusTableAsync().ConfigureAwait(false), false);
            case "where":
                return (await WhereAsync(rest).ConfigureAwait(false), false);
            case "get":
                return (await GetAsync(rest).ConfigureAwait(false), false);
            case "drain":
                return ($"Draining {_silo.Name}: presence goes away, grains move to other silos, then this silo goes offline.", true);
            default:
                return (await ChatWriteAsync(from, messageId, command.Name, rest).ConfigureAwait(false), false);
        }
    }

    private static string Help(BridgeRoles roles)
    {
        var allowed = Commands.Where(c => roles.HasFlag(c.Role)).ToList();
        if (allowed.Count == 0)
        {
            return "You have no role on this silo; ask its operator to add your JID to Actors:Xmpp:Watchers.";
        }

        var width = allowed.Max(c => (c.Name + " " + c.Arguments).Trim().Length);
        var help = new StringBuilder($"Commands for you ({RoleSet.Describe(roles)}):");
        foreach (var c in allowed)
        {
            help.Append('\n').Append((c.Name + " " + c.Arguments).Trim().PadRight(width)).Append("  ").Append(c.Summary);
        }

        help.Append("\nA root is type/id, e.g. topic/42.");
        return help.ToString();
    }

    private async Task<string> StatusTableAsync()
    {
        var members = _membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        Dictionary<SiloAddress, SiloRuntimeStatistics> statistics = [];
        try
        {
            var active = members.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();
            var read = await _grains.GetGrain<IManagementGrain>(0).GetRuntimeStatistics(active).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            for (var i = 0; i < active.Length && i < read.Length; i++)
            {
                statistics[active[i]] = read[i];
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            BridgeLog.LogStatisticsFailed(_logger, ex);
        }

        var rows = new List<string[]> { new[] { "silo", "status", "activations", "cpu", "memory" } };
        foreach (var m in members)
        {
            var own = m.SiloAddress.Equals(_silo.SiloAddress);
            var s = statistics.GetValueOrDefault(m.SiloAddress);
            rows.Add(
            [
                m.Name + (own ? " *" : ""),
                own ? _monitor.Current().Status : m.Status.ToString(),
                s is null ? "-" : s.ActivationCount.ToString("N0", CultureInfo.InvariantCulture),
                s is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(s.EnvironmentStatistics.FilteredCpuUsagePercentage)}%"),
                s is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{s.EnvironmentStatistics.FilteredMemoryUsageBytes / (1024 * 1024)} MB"),
            ]);
        }

        var activeCount = members.Count(m => m.Status == SiloStatus.Active);
        return $"{activeCount} of {members.Count} silo{(members.Count == 1 ? "" : "s")} active\n{Table(rows, rightAligned: [2, 3, 4])}\n* this silo";
    }

    private async Task<string> WhereAsync(string rest)
    {
        var (rootText, _) = Split(rest);
        if (!RootId.TryParse(rootText, out var root, out var error))
        {
            return $"Usage: where <root>. {Capitalize(error)}.";
        }

        var location = await _grains.GetRoot(root).GetLocationAsync().ConfigureAwait(false);
        return $"{root} is on {location.SiloName}: {_directory.Resolve(location.SiloName)}";
    }

    private async Task<string> GetAsync(string rest)
    {
        var (rootText, pointer) = Split(rest);
        if (!RootId.TryParse(rootText, out var root, out var error))
        {
            return $"Usage: get <root> [pointer]. {Capitalize(error)}.";
        }

        var (read, failure) = await ExecuteReadAsync(root, pointer.Length == 0 ? null : pointer, _bareJid).ConfigureAwait(false);
        if (failure is not null)
        {
            return $"Refused: {failure.Text}";
        }

        return $"{root} · version {read!.Version}{(pointer.Length == 0 ? "" : " · " + pointer)}\n{Pretty(read.Json!)}";
    }

    private async Task<string> ChatWriteAsync(Jid from, string? messageId, string op, string rest)
    {
        var (rootText, json) = Split(rest);
        if (!RootId.TryParse(rootText, out var root, out var error))
        {
            var usage = Array.Find(Commands, c => c.Name == op)!;
            return $"Usage: {op} {usage.Arguments}. {Capitalize(error)}.";
        }

        if (string.IsNullOrEmpty(messageId))
        {
            return $"Refused: {op} needs a message id to use as its write id (so a resend is never applied twice), and this message has none. Send it from a client that sets message ids (most do).";
        }

        var writeOp = op switch { "put" => WriteOp.Put, "merge" => WriteOp.Merge, "patch" => WriteOp.Patch, _ => WriteOp.Delete };
        if (writeOp == WriteOp.Delete ? json.Length > 0 : json.Length == 0)
        {
            var usage = Array.Find(Commands, c => c.Name == op)!;
            return $"Usage: {op} {usage.Arguments}";
        }

        if (Encoding.UTF8.GetByteCount(json) > _options.MaxWriteBytes)
        {
            return $"Refused: {BridgeErrors.TooLarge(Encoding.UTF8.GetByteCount(json), _options.MaxWriteBytes).Text}";
        }

        if (!_monitor.AcceptsWrites)
        {
            return "Refused: this silo is not taking writes now (joining or leaving the cluster). Nothing was changed; retry later or at another silo.";
        }

        var command = new WriteCommand(writeOp, $"{from.Bare}/{messageId}", writeOp == WriteOp.Delete ? null : json);
        var (result, failure) = await ExecuteWriteAsync(new WriteRequest(root, command), from).ConfigureAwait(false);
        if (failure is not null)
        {
            return $"Refused: {failure.Text}";
        }

        var what = result!.Deleted ? "deleted" : result.Created ? "created" : "updated";
        return result.Duplicate
            ? $"{root} · version {result.Version} · already {what} by this message before; nothing changed"
            : $"{root} · version {result.Version} · {what}";
    }

    private async Task DrainAsync(Jid from)
    {
        BridgeLog.LogDrainRequested(_logger, from.ToString());
        _monitor.Draining = true;
        await PublishAsync(_monitor.Current(), CancellationToken.None).ConfigureAwait(false);
        _lifetime.StopApplication();
    }

    private static (string Head, string Tail) Split(string text)
    {
        text = text.Trim();
        var space = text.AsSpan().IndexOfAny(' ', '\t', '\n');
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var pretty = JsonSerializer.Serialize(document.RootElement, PrettyJson);
            // Long documents stay compact so a chat window is not flooded.
            return pretty.Length <= 2000 ? pretty : json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static readonly JsonSerializerOptions PrettyJson = new() { WriteIndented = true };

    private static string Table(List<string[]> rows, int[] rightAligned)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return string.Join('\n', rows.Select(r => string.Join("  ", r.Select((cell, i) =>
            rightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd()));
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Article(string role) => role == "no role" ? "without a role" : (role[0] is 'o' ? "an " : "a ") + role;

    private sealed record ChatCommand(string Name, string Arguments, string Summary, BridgeRoles Role);
}
