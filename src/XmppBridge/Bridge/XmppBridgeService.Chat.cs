using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.AdHoc;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Hosting;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Chat commands for people in any XMPP client (docs/xmpp-bridge.md): short plain-text replies, aligned for a chat window.
/// </summary>
internal sealed partial class XmppBridgeService
{
    /// <summary>
    /// The chat commands, in the order help lists them. The write commands come from the one list of write ops, so a
    /// new op is a chat command without an edit here.
    /// </summary>
    private ChatCommand[] CreateChatCommands() =>
    [
        new("help", "", "what you may do here", BridgeRoles.Watcher, request => Task.FromResult<ChatReply>(Help(_roles.Resolve(request.From)))),
        new("status", "", "the cluster, one silo per line", BridgeRoles.Watcher, async _ => await StatusTableAsync().ConfigureAwait(false))
        {
            AdHoc = new AdHocSpec("Cluster status"),
        },
        new("where", "<root>", "the silo hosting a root", BridgeRoles.Watcher, async request => await WhereAsync(request.Arguments).ConfigureAwait(false))
        {
            AdHoc = new AdHocSpec("Where is a root?")
            {
                Fields = () => [new FormField("root", "Root (type/id)", FormFieldType.TextSingle) { Description = "a root id, type/id, e.g. topic/42" }],
                Arguments = values => values["root"],
            },
        },
        new("get", "<root> [pointer]", "read a document, or the part at a JSON Pointer", BridgeRoles.Reader, async request => await GetAsync(request).ConfigureAwait(false)),
        new("find", "<type> [<index> <op> <value>] [limit N]", "list a type, or the roots whose indexed value matches", BridgeRoles.Reader, FindAsync)
        {
            AdHoc = new AdHocSpec("Find roots")
            {
                Instructions = "A type alone lists its roots; with an index, an operator and a value, the roots whose indexed value matches (docs/queries.md).",
                Fields = () =>
                [
                    new FormField("type", "Type", FormFieldType.TextSingle) { Description = "a root type, e.g. topic" },
                    new FormField("index", "Index", FormFieldType.TextSingle) { Required = false, Description = "an index of the type ('indexes' lists them)" },
                    new FormField("op", "Operator", FormFieldType.ListSingle) { Required = false, Options = FindOperators },
                    new FormField("value", "Value", FormFieldType.TextSingle) { Required = false, OneWord = false, Description = "a JSON value (\"open\", 3, true), or text for prefix" },
                    new FormField("limit", "At most", FormFieldType.TextSingle) { Required = false, Range = (1, ChatFindLimit), Default = ChatFindDefault.ToString(CultureInfo.InvariantCulture) },
                ],
                Check = values => (values.ContainsKey("index"), values.ContainsKey("op"), values.ContainsKey("value")) switch
                {
                    (false, false, false) or (true, true, true) => null,
                    _ => "An index condition needs all three of 'index', 'op' and 'value'; leave all three empty to list the type.",
                },
                Arguments = FindArguments,
            },
        },
        new("indexes", "<type>", "the indexes of a type", BridgeRoles.Reader, IndexesAsync)
        {
            AdHoc = new AdHocSpec("Indexes and their builds")
            {
                Fields = () => [new FormField("type", "Type", FormFieldType.TextSingle) { Description = "a root type, e.g. topic" }],
                Arguments = values => values["type"],
            },
        },
        .. WriteOps.All.Select(op => new ChatCommand(op.Name, op.ChatArguments, op.Summary, BridgeRoles.Writer, request => ChatWriteAsync(request, op))),
        new("drain", "[silo-name]", "this silo (or the one named) leaves the cluster gracefully", BridgeRoles.Operator, DrainCommandAsync)
        {
            // The form names the silo as a confirmation: an ad-hoc command always reaches one silo's full JID, and its
            // only choice is that silo, so a drain cannot be aimed at the wrong one by mistake.
            AdHoc = new AdHocSpec("Drain this silo")
            {
                Instructions = $"{_silo.Name} leaves the cluster gracefully: its grains move to the other silos, then it goes offline and exits. Its agent does not restart it. To drain another silo, run this command on that silo ('status' lists them).",
                Fields = () => [new FormField("silo", "Silo", FormFieldType.ListSingle) { Options = [_silo.Name], Default = _silo.Name }],
                Arguments = values => values["silo"],
            },
        },
    ];

    /// <summary>The chat arguments of the ad-hoc find form (its Check made sure index, op and value come together).</summary>
    private static string FindArguments(IReadOnlyDictionary<string, string> values)
    {
        var line = new StringBuilder(values["type"]);
        if (values.TryGetValue("index", out var index))
        {
            line.Append(' ').Append(index).Append(' ').Append(values["op"]).Append(' ').Append(values["value"]);
        }

        if (values.TryGetValue("limit", out var limit))
        {
            line.Append(" limit ").Append(limit);
        }

        return line.ToString();
    }

    private async Task HandleChatAsync(XmppClient client, Message message, string text)
    {
        var from = message.From!;
        ChatReply reply;
        try
        {
            reply = await ExecuteChatAsync(message, text).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BridgeLog.LogRequestFailed(_logger, ex, from.ToString());
            reply = $"Sorry, that failed inside the cluster ({ex.GetType().Name}). Nothing was changed by this message unless it said so; send it again to retry.";
        }

        var body = TooLargeForXmpp(reply.Text) is { } size
            ? $"That answer is {size:N0} bytes, too large for one XMPP message ({MaxReplyBytes:N0}). Ask for less (`get <root> <pointer>` reads a part of a document), or read it over HTTP: GET /v1/roots/<type>/<id>."
            : reply.Text;
        if (body.Length > 0)
        {
            var answer = new Message(from, body, message.Type == MessageType.Normal ? MessageType.Normal : MessageType.Chat) { Id = NewId() };
            await SendAsync(client, answer, from).ConfigureAwait(false);
        }
        if (reply.AfterSent is { } after)
        {
            await after().ConfigureAwait(false);
        }
    }

    /// <summary>Runs one command line: looks the command up in the table, checks the sender's role and staleness, runs it.</summary>
    private async Task<ChatReply> ExecuteChatAsync(Message message, string text)
    {
        var from = message.From!;
        var roles = _roles.Resolve(from);
        var (name, rest) = Split(text);
        name = name.ToLowerInvariant();
        var command = Array.Find(_chatCommands, c => c.Name == name);
        if (command is null)
        {
            return $"Unknown command '{Shorten(name)}'.\n{Help(roles)}";
        }

        if (!roles.HasFlag(command.Role))
        {
            return $"'{command.Name}' needs the {RoleSet.Describe(command.Role)} role; {from.Bare} is {Article(RoleSet.Describe(roles))}.";
        }

        // A command stored offline and delivered late (a drain, a delete) must not run long after it was meant.
        if (_writes.Staleness(message.Element) is { } stale)
        {
            return $"Refused: {stale.Text}";
        }

        return await command.Handler(new ChatRequest(from, message, rest)).ConfigureAwait(false);
    }

    private string Help(BridgeRoles roles)
    {
        var allowed = _chatCommands.Where(c => roles.HasFlag(c.Role)).ToList();
        if (allowed.Count == 0)
        {
            return "You have no role on this silo; ask its operator to add your JID to Actors:Xmpp:Watchers.";
        }

        var width = allowed.Max(c => c.Usage.Length);
        var help = new StringBuilder($"Commands for you ({RoleSet.Describe(roles)}):");
        foreach (var c in allowed)
        {
            help.Append('\n').Append(c.Usage.PadRight(width)).Append("  ").Append(c.Summary);
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
        var others = NodeListing.Describe(_nodes.Snapshot(), [NodeKind.Gateway, NodeKind.Agent], _options.Nodes.Count == 0 ? " (Actors:Xmpp:Nodes names none)" : "");
        return $"{activeCount} of {members.Count} silo{(members.Count == 1 ? "" : "s")} active\n{Table(rows, rightAligned: [2, 3, 4])}\n* this silo\n{others}{await IndexBuildsAsync().ConfigureAwait(false)}";
    }

    /// <summary>The index builds in progress, one line each, for <c>status</c>; empty when none (or storage cannot say).</summary>
    private async Task<string> IndexBuildsAsync()
    {
        try
        {
            var building = await _grains.GetGrain<IRootQueryGrain>(0).BuildingIndexesAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return string.Concat(building.Indexes.Select(index =>
                string.Create(CultureInfo.InvariantCulture, $"\nindex {index.Type}/{index.Name} ({index.Pointer}) building: {index.Progress:P0}")));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            BridgeLog.LogStatisticsFailed(_logger, ex);
            return "";
        }
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

    private async Task<string> GetAsync(ChatRequest request)
    {
        var (rootText, pointer) = Split(request.Arguments);
        if (!RootId.TryParse(rootText, out var root, out var error))
        {
            return $"Usage: get <root> [pointer]. {Capitalize(error)}.";
        }

        var (read, failure) = await ExecuteReadAsync(new ReadPayload(root, pointer.Length == 0 ? null : pointer), request.From).ConfigureAwait(false);
        if (failure is not null)
        {
            return $"Refused: {failure.Text}";
        }

        return $"{root} · version {read!.Version}{(pointer.Length == 0 ? "" : " · " + pointer)}\n{Pretty(read.Json!)}";
    }

    private async Task<ChatReply> ChatWriteAsync(ChatRequest request, WriteOpInfo op)
    {
        var (rootText, json) = Split(request.Arguments);
        if (!RootId.TryParse(rootText, out var root, out var error))
        {
            return $"Usage: {op.Name} {op.ChatArguments}. {Capitalize(error)}.";
        }

        if (string.IsNullOrEmpty(request.Message.Id))
        {
            return $"Refused: {op.Name} needs a message id to use as its write id (so a resend is never applied twice), and this message has none. Send it from a client that sets message ids (most do).";
        }

        if (op.Body == WriteBody.None ? json.Length > 0 : json.Length == 0)
        {
            return $"Usage: {op.Name} {op.ChatArguments}";
        }

        var write = new WritePayload(root, op.Op, op.Body == WriteBody.None ? null : json);
        var outcome = await _writes.ExecuteAsync(new IncomingWrite(request.From, request.Message.Id, request.Message.Element, () => write)).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return $"Refused: {outcome.Error.Text}";
        }

        var result = outcome.Result;
        var what = result.Deleted ? "deleted" : result.Created ? "created" : "updated";
        return result.Duplicate
            ? $"{root} · version {result.Version} · already {what} by this message before; nothing changed"
            : $"{root} · version {result.Version} · {what}";
    }

    /// <summary>
    /// <c>drain</c> aims at one silo (DESIGN §9): sent to a silo's full JID it drains that silo; sent to a bare JID —
    /// which the server may deliver to every silo sharing the account — it needs the silo's name, and only the silo of
    /// that name acts (the others stay silent).
    /// </summary>
    private async Task<ChatReply> DrainCommandAsync(ChatRequest request)
    {
        var name = request.Arguments.Trim();
        var toBare = request.Message.To is not { IsBare: false };
        if (name.Length == 0 && toBare)
        {
            return $"Refused: this went to {_bareJid}, which several silos may share, so it could drain all of them. Send `drain` to one silo's full JID, or `drain <silo-name>` (this is {_silo.Name}).";
        }
        if (name.Length > 0 && !string.Equals(name, _silo.Name, StringComparison.Ordinal))
        {
            var known = IsActiveMember(name);
            if (!known)
            {
                // A silo that just joined may not be in this silo's view yet (seen: a drain sent to the shared bare JID
                // right after the new silo said available, and this silo wrongly answered that no such silo exists).
                // Read the membership table once before saying so.
                try
                {
                    await _membership.Refresh().AsTask().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    BridgeLog.LogMembershipRefreshFailed(_logger, ex);
                }

                known = IsActiveMember(name);
            }

            if (!known)
            {
                return $"Refused: no active silo is named {Shorten(name)}; `status` lists them.";
            }
            // To a bare JID the silo of that name answers; to this silo's full JID, say where that silo is.
            return toBare ? "" : $"Refused: this is {_silo.Name}. To drain {Shorten(name)}, send `drain` to {_directory.Resolve(name)}.";
        }
        return new ChatReply($"Draining {_silo.Name}: presence goes away, grains move to other silos, then this silo goes offline.", () => DrainAsync(request.From));
    }

    private bool IsActiveMember(string name) =>
        _membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && string.Equals(m.Name, name, StringComparison.Ordinal));

    private async Task DrainAsync(Jid from)
    {
        BridgeLog.LogDrainRequested(_logger, from.ToString());
        _monitor.Draining = true;
        await PublishAsync(_monitor.Current(), CancellationToken.None).ConfigureAwait(false);
        // Not awaited: this runs in the sender's chat queue, whose next commands must not wait for the host.
        _ = StopOnceStartedAsync();
    }

    /// <summary>
    /// The bridge says available once Orleans is Active, before the host has finished starting: Orleans' last stages,
    /// then the hosted services registered after it (the silo's index and catalog keepers, an application's own).
    /// Stopping the host then cancels that start: a host run with .NET's RunAsync throws (dotnet/runtime#111013) and
    /// the process ends with an unhandled exception instead of a drain (seen in CI, before the silo's entry point used
    /// GracefulHostRun: a drain sent at once after available); the services still starting are cancelled under any
    /// host. So the stop waits until the host has started, or is stopping anyway, for at most <see cref="DrainStartWait"/>.
    /// </summary>
    private async Task StopOnceStartedAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Registering on a token already cancelled runs the callback at once.
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (_lifetime.ApplicationStopping.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(DrainStartWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                BridgeLog.LogDrainWaitedForStart(_logger, DrainStartWait);
            }
        }

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

}
