using System.Globalization;
using System.Text;
using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Queries over XMPP (docs/queries.md, XMPP): the IQ <c>&lt;query/&gt;</c> with XEP-0059 paging, and the chat commands
/// <c>find</c> and <c>indexes</c>. Both parse with <see cref="RootQueryParser"/> and run on <see cref="IRootQueryGrain"/>,
/// as the gateway does.
/// </summary>
internal sealed partial class XmppBridgeService
{
    /// <summary>The chat <c>find</c> operators, mapped to query parameters; <c>prefix</c> takes plain text, the others JSON.</summary>
    private static readonly string[] FindOperators = ["eq", "ge", "gt", "le", "lt", "prefix"];

    /// <summary>The most items a chat <c>find</c> shows at once: a chat window is not a spreadsheet.</summary>
    private const int ChatFindLimit = 50;

    /// <summary>The chat <c>find</c> default page size.</summary>
    private const int ChatFindDefault = 20;

    private async Task<Iq> HandleQueryIqAsync(Iq iq, Jid from, System.Xml.Linq.XElement payload)
    {
        if (!_roles.Resolve(from).HasFlag(BridgeRoles.Reader))
        {
            return iq.CreateError(BridgeErrors.Forbidden(from, "query", "reader"));
        }
        if (!QueryPayload.TryParse(payload, out var query, out var parseError))
        {
            return iq.CreateError(BridgeErrors.From(parseError));
        }
        var (page, failure) = await ExecuteQueryAsync(query.Query, from).ConfigureAwait(false);
        return failure is null ? iq.CreateResult(new QueryResultPayload(query.Query.Type, page!).ToElement()) : iq.CreateError(failure);
    }

    private async Task<(QueryPage? Page, StanzaError? Error)> ExecuteQueryAsync(RootQuery query, Jid from)
    {
        try
        {
            var page = await _grains.QueryPageAsync(query).ConfigureAwait(false);
            return page.Succeeded ? (page, null) : (null, BridgeErrors.From(page.Error));
        }
        catch (Exception ex)
        {
            BridgeLog.LogRequestFailed(_logger, ex, from.ToString());
            return (null, BridgeErrors.FromException(ex, "query"));
        }
    }

    /// <summary><c>find &lt;type&gt; [&lt;index&gt; &lt;op&gt; &lt;value&gt;] [limit N] [after &lt;token&gt;]</c>.</summary>
    private async Task<ChatReply> FindAsync(ChatRequest request)
    {
        const string Usage = "Usage: find <type> [<index> <op> <value>] [limit N] [after <token>], op one of eq ge gt le lt (JSON value: \"open\", 3, true) or prefix (text)";
        var (type, rest) = Split(request.Arguments);
        if (type.Length == 0)
        {
            return Usage;
        }
        var parameters = new List<KeyValuePair<string, string>> { KeyValuePair.Create("limit", ChatFindDefault.ToString(CultureInfo.InvariantCulture)) };
        while (rest.Length > 0)
        {
            var (word, tail) = Split(rest);
            if (word is "limit" or "after" or "order")
            {
                var (value, after) = Split(tail);
                if (value.Length == 0)
                {
                    return $"'{Shorten(word)}' needs a value. {Usage}";
                }
                if (word == "limit" && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit > ChatFindLimit))
                {
                    return $"'limit' must be a whole number from 1 to {ChatFindLimit} in chat (HTTP and the IQ <query/> take up to {QueryLimits.MaxLimit}).";
                }
                parameters.RemoveAll(p => p.Key == word);
                parameters.Add(KeyValuePair.Create(word, value));
                rest = after;
                continue;
            }
            // <index> <op> <value>: the value is the rest up to a following limit/after/order keyword.
            var (op, valueAndMore) = Split(tail);
            if (!FindOperators.Contains(op) || valueAndMore.Length == 0)
            {
                return $"'{Shorten(word)} {Shorten(op)}' is not <index> <op> <value>. {Usage}";
            }
            var (value2, remaining) = SplitValue(valueAndMore);
            parameters.Add(KeyValuePair.Create("index", word));
            parameters.Add(KeyValuePair.Create(op, value2));
            rest = remaining;
        }
        if (!RootQueryParser.TryParse(type, parameters, out var query, out var error))
        {
            return $"Refused: {error!.Message}";
        }
        var (page, failure) = await ExecuteQueryAsync(query, request.From).ConfigureAwait(false);
        if (failure is not null)
        {
            return $"Refused: {failure.Text}";
        }
        return FormatFind(request.Arguments, query, page!);
    }

    /// <summary>A value that may hold spaces ("a b" in JSON quotes) up to the next keyword.</summary>
    private static (string Value, string Remaining) SplitValue(string text)
    {
        foreach (var keyword in new[] { " limit ", " after ", " order " })
        {
            var at = text.IndexOf(keyword, StringComparison.Ordinal);
            // A keyword inside a quoted JSON string is part of the value: only cut where the quotes are balanced.
            if (at >= 0 && text[..at].Count(c => c == '"') % 2 == 0)
            {
                return (text[..at].Trim(), text[at..].Trim());
            }
        }
        return (text.Trim(), "");
    }

    private static string FormatFind(string arguments, RootQuery query, QueryPage page)
    {
        var text = new StringBuilder();
        if (page.Items.Count == 0)
        {
            text.Append(page.Next is null ? "No roots match." : "No roots on this page (the filters or a concurrent change left none).");
        }
        else
        {
            var rows = new List<string[]> { new[] { "root", "version" } };
            rows.AddRange(page.Items.Select(item => new[] { item.Root, item.Version.ToString(CultureInfo.InvariantCulture) }));
            text.Append(Table(rows, rightAligned: [1]));
        }
        if (page.Next is { } next)
        {
            var withoutAfter = arguments;
            var afterAt = withoutAfter.IndexOf(" after ", StringComparison.Ordinal);
            if (afterAt >= 0 && query.After is { } previous)
            {
                withoutAfter = withoutAfter[..afterAt] + withoutAfter[(afterAt + " after ".Length + previous.Length)..];
            }
            text.Append("\nMore: find ").Append(withoutAfter.Trim()).Append(" after ").Append(next);
        }
        return text.ToString();
    }

    /// <summary><c>indexes &lt;type&gt;</c>: the type's indexes, their pointers, states and progress.</summary>
    private async Task<ChatReply> IndexesAsync(ChatRequest request)
    {
        var (type, _) = Split(request.Arguments);
        if (RootId.ValidateType(type) is { } rule)
        {
            return $"Usage: indexes <type>. {Capitalize(rule)}.";
        }
        IndexListResult result;
        try
        {
            result = await _grains.GetGrain<IRootQueryGrain>(0).ListIndexesAsync(type).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BridgeLog.LogRequestFailed(_logger, ex, request.From.ToString());
            return $"Refused: {BridgeErrors.FromException(ex, "indexes").Text}";
        }
        if (result.Error is { } error)
        {
            return $"Refused: {error.Message}";
        }
        if (result.Indexes.Count == 0)
        {
            return $"Type '{type}' has no indexes. Declare one over HTTP: PUT /v1/indexes/{type}/<name> with {{\"pointer\":\"/field\"}}.";
        }
        var rows = new List<string[]> { new[] { "index", "pointer", "state" } };
        rows.AddRange(result.Indexes.Select(index => new[]
        {
            index.Name,
            index.Pointer,
            index.State == IndexState.Ready ? "ready" : string.Create(CultureInfo.InvariantCulture, $"building {index.Progress:P0}"),
        }));
        return $"Indexes of {type}:\n{Table(rows, rightAligned: [])}";
    }
}
