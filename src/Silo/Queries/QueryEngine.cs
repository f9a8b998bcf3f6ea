using System.Text;
using System.Text.Json;
using Actors.Contracts;
using Actors.Silo.Diagnostics;
using Actors.Silo.Grains;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>
/// Runs one page of a <see cref="RootQuery"/> against the <see cref="RootIndexStore"/> (docs/queries.md, Reading a
/// page): validates it, merges the B partitions' entries from the token's position on, and checks every candidate
/// against its root's state as of the read.
/// </summary>
internal sealed class QueryEngine(RootIndexStore store)
{
    /// <summary>At most this many candidates per requested item are examined for one page (filters, stale entries).</summary>
    public const int ExaminedPerItem = 10;

    /// <summary>At most this many filters per query: the front ends' rule (<see cref="RootQueryParser.MaxFilters"/>), checked again for .NET callers.</summary>
    public const int MaxFilters = RootQueryParser.MaxFilters;

    public async Task<QueryPage> QueryAsync(RootQuery query)
    {
        if (Validate(query, out var range, out var filters) is { } invalid)
        {
            return QueryPage.Refused(invalid);
        }

        IndexDefinition? definition = null;
        if (query.Index is { } index)
        {
            var indexes = await store.ForQueryAsync(query.Type, index).ConfigureAwait(false);
            if (!indexes.Definitions.TryGetValue(index, out definition))
            {
                return QueryPage.Refused(ActorsError.UnknownIndex(query.Type, index, indexes.Definitions.Keys));
            }
            if (!definition.Ready)
            {
                return QueryPage.Refused(ActorsError.IndexBuilding(query.Type, index, definition.Progress(store.Partitions)));
            }
        }

        var key = await store.TokenKeyAsync().ConfigureAwait(false);
        if (query.After is { } after)
        {
            if (!QueryToken.TryRead(key, query, after, out var last))
            {
                return QueryPage.Refused(ActorsError.InvalidQuery("the 'after' token was altered or belongs to another query; start again without it"));
            }
            range = range.After(last, query.Descending);
        }

        var partitionKeys = Enumerable.Range(0, store.Partitions)
            .Select(p => query.Index is null ? store.TypeSetKey(p, query.Type) : store.IndexKey(p, query.Type, query.Index))
            .ToArray();
        var page = new PageState(new List<QueryItem>(query.Limit)) { ByPrimary = store.ReadByPrimary };
        var withData = query.IncludeDocuments || filters.Count > 0;
        var field = query.Index is null ? null : RootIndexStore.Field(query.Index);
        await ReadAsync(query, range, partitionKeys, field, withData, filters, page).ConfigureAwait(false);
        store.CountPage(byPrimary: page.ByPrimary);
        SiloInstruments.QueryPages.Add(1, new KeyValuePair<string, object?>("access", query.Index is null ? "scan" : "index"));

        var next = page.LastExamined is not null && page.MayHaveMore ? QueryToken.Create(key, query, page.LastExamined) : null;
        return new QueryPage(page.Items, next);
    }

    /// <summary>What a page has gathered so far: its items, the last entry examined, whether more may follow, and whether every read went by primary.</summary>
    private sealed class PageState(List<QueryItem> items)
    {
        public List<QueryItem> Items { get; } = items;

        public byte[]? LastExamined { get; set; }

        public bool MayHaveMore { get; set; } = true;

        public bool ByPrimary { get; set; } = true;
    }

    /// <summary>
    /// Merges the partitions' ranges (<see cref="PartitionMerge"/>) and double-checks the candidates, each round's reads
    /// as one script per Redis primary (<see cref="NodePageReader"/>). When a primary refuses one, that read and every
    /// later one of the page go partition by partition (pipelined ZRANGEs, pipelined HMGETs): nothing of a refused
    /// read is used, and the merge goes on where it was.
    /// </summary>
    private async Task ReadAsync(RootQuery query, LexRange range, RedisKey[] partitionKeys, string? field, bool withData, List<DocumentFilter> filters, PageState page)
    {
        var db = store.ReadDatabase;
        var reader = new NodePageReader(store);
        var order = query.Descending ? Order.Descending : Order.Ascending;
        var merge = new PartitionMerge(store.Partitions, range, query.Descending, PartitionMerge.BatchFor(query.Limit, store.Partitions), async (requests, count) =>
        {
            if (page.ByPrimary)
            {
                try
                {
                    return await reader.RangesAsync(partitionKeys, requests, count, query.Descending).ConfigureAwait(false);
                }
                catch (RedisServerException)
                {
                    page.ByPrimary = false;
                }
            }
            var reads = requests.Select(r => db.SortedSetRangeByValueAsync(
                partitionKeys[r.Partition], Bound(r.Range.Min), Bound(r.Range.Max), Exclusion(r.Range), order, 0, count)).ToArray();
            var results = await Task.WhenAll(reads).ConfigureAwait(false);
            return results.Select(values => (IReadOnlyList<byte[]>)values.Select(v => (byte[])v!).ToArray()).ToArray();
        });

        var items = page.Items;
        var examined = 0;
        while (items.Count < query.Limit && examined < ExaminedPerItem * query.Limit)
        {
            var candidates = await merge.NextAsync(query.Limit - items.Count).ConfigureAwait(false);
            if (candidates.Count == 0)
            {
                break;
            }
            examined += candidates.Count;
            page.LastExamined = candidates[^1].Entry;

            var ids = candidates.Select(c => field is null ? Encoding.ASCII.GetString(c.Entry) : IndexValue.IdOf(c.Entry)).ToArray();
            var states = await ReadStatesAsync(reader, query.Type, ids, field, withData, page).ConfigureAwait(false);
            for (var i = 0; i < candidates.Count; i++)
            {
                if (Accept(candidates[i].Entry, ids[i], states[i], field is not null, withData, filters, query) is { } item)
                {
                    items.Add(item);
                }
            }
        }
        page.MayHaveMore = merge.MayHaveMore;
    }

    /// <summary>
    /// The item of a candidate entry, or null when its root no longer matches: deleted since, or (index) its value
    /// changed — the state's own record of its entry differs — or a filter rejects its document.
    /// </summary>
    private QueryItem? Accept(byte[] entry, string id, RedisValue[] state, bool indexed, bool withData, List<DocumentFilter> filters, RootQuery query)
    {
        if (state[0].IsNull || !state[0].TryParse(out long version))
        {
            return null;
        }
        if (indexed && (state[1].IsNull || !((byte[])state[1]!).AsSpan().SequenceEqual(entry)))
        {
            return null;
        }
        string? document = null;
        if (withData)
        {
            var data = state[indexed ? 2 : 1];
            if (data.IsNull)
            {
                return null;
            }
            var root = store.Serializer.Deserialize<RootState>(new BinaryData((byte[])data!));
            if (root?.Document is null)
            {
                return null;
            }
            version = root.Version;
            document = root.Document;
            if (filters.Count > 0)
            {
                using var parsed = JsonDocument.Parse(document);
                if (!filters.TrueForAll(f => f.Matches(parsed.RootElement)))
                {
                    return null;
                }
            }
        }
        return new QueryItem($"{query.Type}/{id}", version, query.IncludeDocuments ? document : null);
    }

    /// <summary>
    /// The version, index entry (when indexed) and data (when asked) of each root: one script per primary, or (once a
    /// primary refused) one pipelined round of HMGETs.
    /// </summary>
    private async Task<RedisValue[][]> ReadStatesAsync(NodePageReader reader, string type, string[] ids, string? field, bool withData, PageState page)
    {
        var fields = new List<RedisValue> { RootIndexStore.VersionField };
        if (field is not null)
        {
            fields.Add(field);
        }
        if (withData)
        {
            fields.Add("data");
        }
        var names = fields.ToArray();
        var keys = ids.Select(id => store.StateKey(type, id)).ToArray();
        if (page.ByPrimary)
        {
            try
            {
                return await reader.StatesAsync(keys, names).ConfigureAwait(false);
            }
            catch (RedisServerException)
            {
                page.ByPrimary = false;
            }
        }
        var db = store.ReadDatabase;
        return await Task.WhenAll(keys.Select(key => db.HashGetAsync(key, names))).ConfigureAwait(false);
    }

    private static RedisValue Bound(byte[]? bound) => bound is null ? RedisValue.Null : (RedisValue)bound;

    private static Exclude Exclusion(LexRange range) =>
        (range.MinExclusive ? Exclude.Start : Exclude.None) | (range.MaxExclusive ? Exclude.Stop : Exclude.None);

    /// <summary>Checks everything a query can get wrong; the error names what to fix.</summary>
    internal static ActorsError? Validate(RootQuery? query, out LexRange range, out List<DocumentFilter> filters)
    {
        range = LexRange.All;
        filters = [];
        if (query is null)
        {
            return ActorsError.InvalidQuery("no query was given");
        }
        if (RootId.ValidateType(query.Type) is { } typeError)
        {
            return ActorsError.InvalidQuery(typeError.TrimEnd('.'));
        }
        if (query.Limit is < QueryLimits.MinLimit or > QueryLimits.MaxLimit)
        {
            return ActorsError.InvalidQuery($"limit {query.Limit} is out of range; use {QueryLimits.MinLimit}–{QueryLimits.MaxLimit}");
        }
        if (query.Index is null)
        {
            if (query.Condition is not null)
            {
                return ActorsError.InvalidQuery("a condition (eq, ge, gt, le, lt, prefix) needs an index; name one with 'index'");
            }
        }
        else
        {
            if (IndexNames.Validate(query.Index) is { } nameError)
            {
                return ActorsError.InvalidQuery(nameError.TrimEnd('.'));
            }
            if (!IndexConditionPlanner.TryPlan(query.Condition, out range, out var conditionError))
            {
                return ActorsError.InvalidQuery(conditionError!);
            }
        }
        if (query.Filters is { Count: > MaxFilters })
        {
            return ActorsError.InvalidQuery($"{query.Filters.Count} filters; at most {MaxFilters} are allowed");
        }
        foreach (var filter in query.Filters ?? [])
        {
            if (!DocumentFilter.TryCreate(filter, out var parsed, out var filterError))
            {
                return ActorsError.InvalidQuery(filterError!);
            }
            filters.Add(parsed!);
        }
        return null;
    }
}
