using System.Net;
using Actors.Silo.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>
/// One round of a page read with one script per Redis primary (docs/queries.md, Reading a page): the partitions are
/// grouped by the primary that serves their slot now, and each primary runs <see cref="ScriptTemplate"/> over its own
/// partitions — the range reads, the k-way merge and the double-check of every candidate — in one call. The rounds of
/// the primaries are merged here. A round that any primary refuses (a slot moved away or is being moved, Redis older
/// than 7.0, a Lua string order that is not byte order) throws <see cref="RedisServerException"/>, and the caller reads
/// the page partition by partition instead; nothing is ever returned from a refused round.
/// </summary>
/// <remarks>
/// <para>Why the partition names travel in ARGV and no key is declared: Redis Cluster routes and checks EVAL by its
/// declared keys, and refuses keys of several slots with CROSSSLOT before the script runs, whatever its flags (checked
/// on redis-server 7.0.15). <c>allow-cross-slot-keys</c> only lets the script itself touch keys of several slots; every
/// command it runs is still checked: a key whose slot is not served by this node, or whose slot is being migrated or
/// imported, fails the script ("Script attempted to access …"), and so does a cluster that is down. ACLs are checked
/// per command inside scripts too, so a user without read access to a key cannot read it this way.</para>
/// <para>The work of one call is bounded: at most <see cref="MaxExaminedPerCall"/> candidates (each one HMGET) plus the
/// range reads, so a script never blocks its Redis for long; a page that needs more takes more rounds.</para>
/// </remarks>
internal sealed class NodePageReader(RootIndexStore store)
{
    /// <summary>The most candidates one script call examines (one HMGET each).</summary>
    public const int MaxExaminedPerCall = 1000;

    /// <summary>
    /// ARGV: min and max bound (ZRANGE BYLEX syntax), rev ('1'/'0'), want (candidates to accept), budget (candidates to
    /// examine at most), first batch per partition, the index's state field ('' for a type listing, whose members are
    /// ids), with data ('1'/'0'), then per partition (sorted set, state key prefix). Returns { last examined entry or '',
    /// examined, may have more (1/0), { entry, version[, data] … } } of the accepted candidates in order.
    /// </summary>
    /// <remarks>
    /// Lua compares strings with strcoll; only the C locale (Redis' default environment) makes that the byte order of
    /// ZRANGEBYLEX, so the script checks it first and refuses otherwise.
    /// </remarks>
    public const string ScriptTemplate = """
        #!lua flags=no-writes,allow-cross-slot-keys
        if not ('B' < 'a' and 'z' < '\195\169' and 'a\0b' < 'a\1' and 'a' < 'a\0') then
          return redis.error_reply('ACTORSCOLLATION Lua string order is not byte order on this server')
        end
        local rev = ARGV[3] == '1'
        local want, budget, batch = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
        local field, withData = ARGV[7], ARGV[8] == '1'
        local fields = { 'v' }
        if field ~= '' then fields[#fields + 1] = field end
        if withData then fields[#fields + 1] = 'data' end
        local n = (#ARGV - 8) / 2
        local buf, at, size, last, done = {}, {}, {}, {}, {}
        local function fetch(i, count)
          local lo, hi = ARGV[1], ARGV[2]
          if last[i] then
            if rev then hi = '(' .. last[i] else lo = '(' .. last[i] end
          end
          local got
          if rev then
            got = redis.call('ZRANGE', ARGV[7 + 2 * i], hi, lo, 'BYLEX', 'REV', 'LIMIT', 0, count)
          else
            got = redis.call('ZRANGE', ARGV[7 + 2 * i], lo, hi, 'BYLEX', 'LIMIT', 0, count)
          end
          buf[i], at[i], size[i] = got, 1, count
          if #got > 0 then last[i] = got[#got] end
          done[i] = #got < count
          return #got > 0
        end
        -- A binary heap of the partitions' next entries (hv) and their partitions (hp); $lt$ is the page's order.
        local hv, hp, hn = {}, {}, 0
        local function push(v, i)
          hn = hn + 1
          local c = hn
          while c > 1 do
            local p = (c - c % 2) / 2
            local pv = hv[p]
            if not (v $lt$ pv) then break end
            hv[c], hp[c] = pv, hp[p]
            c = p
          end
          hv[c], hp[c] = v, i
        end
        local function settle(v, i)
          local c = 1
          while true do
            local l = 2 * c
            if l > hn then break end
            local m, mv = l, hv[l]
            if l < hn and hv[l + 1] $lt$ mv then m, mv = l + 1, hv[l + 1] end
            if not (mv $lt$ v) then break end
            hv[c], hp[c] = mv, hp[m]
            c = m
          end
          hv[c], hp[c] = v, i
        end
        for i = 1, n do
          if fetch(i, batch) then push(buf[i][1], i) end
        end
        local out, accepted, examined, lastExamined, pending = {}, 0, 0, '', false
        local indexed = field ~= ''
        while accepted < want and examined < budget do
          if pending then
            if fetch(pending, math.min(size[pending] * 2, budget - examined)) then push(buf[pending][1], pending) end
            pending = false
          end
          if hn == 0 then break end
          local entry, i = hv[1], hp[1]
          local k = at[i] + 1
          at[i] = k
          local following = buf[i][k]
          if following then
            settle(following, i)
          else
            local v, j = hv[hn], hp[hn]
            hv[hn], hp[hn] = nil, nil
            hn = hn - 1
            if hn > 0 then settle(v, j) end
            if not done[i] then pending = i end
          end
          examined = examined + 1
          lastExamined = entry
          local id = entry
          if indexed then
            local sep
            if string.byte(entry, 1) == 4 then sep = 10 else sep = string.find(entry, '\0', 2, true) end
            id = string.sub(entry, sep + 1)
          end
          local state = redis.call('HMGET', ARGV[8 + 2 * i] .. id, unpack(fields))
          local ok = state[1] and (not indexed or state[2] == entry)
          if ok and withData then ok = state[#fields] end
          if ok then
            out[#out + 1] = entry
            out[#out + 1] = state[1]
            if withData then out[#out + 1] = state[#fields] end
            accepted = accepted + 1
          end
        end
        local more = 0
        if hn > 0 or pending then more = 1 end
        return { lastExamined, examined, more, out }
        """;

    /// <summary>The script for ascending pages (<c>$lt$</c> is <c>&lt;</c>): comparisons inline, not through a Lua function, which cost the merge more than its Redis commands.</summary>
    public static readonly string AscendingScript = ScriptTemplate.Replace("$lt$", "<", StringComparison.Ordinal);

    /// <summary>The script for descending pages (<c>$lt$</c> is <c>&gt;</c>).</summary>
    public static readonly string DescendingScript = ScriptTemplate.Replace("$lt$", ">", StringComparison.Ordinal);

    /// <summary>A candidate that passed the double-check: its entry, and its <c>v</c> and (when asked) <c>data</c> as of that read.</summary>
    public readonly record struct Candidate(byte[] Entry, RedisValue Version, RedisValue Data);

    /// <summary>
    /// The accepted candidates of one round in order, all at or before <paramref name="LastExamined"/> — everything up to
    /// which was examined on every primary — and whether anything may follow it.
    /// </summary>
    public sealed record Round(List<Candidate> Candidates, byte[]? LastExamined, int Examined, bool MayHaveMore);

    /// <summary>The partitions of each primary serving them now (one group on a single Redis).</summary>
    public static List<(EndPoint Primary, List<int> Partitions)> Group(IReadOnlyList<RedisKey> partitionKeys, Func<RedisKey, EndPoint> primaryOf)
    {
        var groups = new List<(EndPoint, List<int>)>();
        for (var p = 0; p < partitionKeys.Count; p++)
        {
            var primary = primaryOf(partitionKeys[p]);
            var group = groups.FindIndex(g => g.Item1.Equals(primary));
            if (group < 0)
            {
                groups.Add((primary, [p]));
            }
            else
            {
                groups[group].Item2.Add(p);
            }
        }
        return groups;
    }

    /// <summary>
    /// Reads one round: up to <paramref name="want"/> accepted candidates after examining at most about
    /// <paramref name="budget"/> (split over the primaries, each at most <see cref="MaxExaminedPerCall"/>).
    /// </summary>
    public async Task<Round> ReadAsync(
        IReadOnlyList<RedisKey> partitionKeys, string type, LexRange range, bool descending, string? field, bool withData, int want, int budget)
    {
        var connection = store.ReadConnection;
        var groups = Group(partitionKeys, key => connection.GetServer(key, flags: CommandFlags.DemandMaster).EndPoint);
        var perPrimary = Math.Clamp((budget + groups.Count - 1) / groups.Count, 1, MaxExaminedPerCall);
        var batch = PartitionMerge.BatchFor(want, partitionKeys.Count);
        var script = descending ? DescendingScript : AscendingScript;
        var calls = groups.Select(g =>
        {
            var arguments = new List<object>(10 + 2 * g.Partitions.Count)
            {
                ScriptDigests.Of(script), 0,
                Bound(range.Min, range.MinExclusive, "-"), Bound(range.Max, range.MaxExclusive, "+"),
                descending ? "1" : "0", Math.Min(want, perPrimary), perPrimary, batch, field ?? "", withData ? "1" : "0",
            };
            foreach (var p in g.Partitions)
            {
                // As values, not RedisKey: the client would route (and slot-check) keys; see the remarks on ARGV.
                arguments.Add((byte[])partitionKeys[p]!);
                arguments.Add(store.StatePrefix(p, type));
            }
            return EvaluateAsync(connection.GetServer(g.Primary), script, arguments);
        }).ToArray();
        var results = await Task.WhenAll(calls).ConfigureAwait(false);
        return Merge([.. results.Select(r => Parse(r, withData))], descending, want);
    }

    private static async Task<RedisResult> EvaluateAsync(IServer server, string script, List<object> arguments)
    {
        try
        {
            return await server.ExecuteAsync("EVALSHA", arguments, CommandFlags.NoRedirect).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            arguments[0] = script;
            return await server.ExecuteAsync("EVAL", arguments, CommandFlags.NoRedirect).ConfigureAwait(false);
        }
    }

    private static RedisValue Bound(byte[]? bound, bool exclusive, string open)
    {
        if (bound is null)
        {
            return open;
        }
        var value = new byte[bound.Length + 1];
        value[0] = exclusive ? (byte)'(' : (byte)'[';
        bound.CopyTo(value, 1);
        return value;
    }

    internal sealed record NodeRound(List<(byte[] Entry, RedisValue Version, RedisValue Data)> Accepted, byte[]? LastExamined, int Examined, bool MayHaveMore);

    private static NodeRound Parse(RedisResult result, bool withData)
    {
        var parts = (RedisResult[])result!;
        var last = (byte[]?)parts[0];
        var values = (RedisResult[])parts[3]!;
        var stride = withData ? 3 : 2;
        var accepted = new List<(byte[], RedisValue, RedisValue)>(values.Length / stride);
        for (var i = 0; i + stride <= values.Length; i += stride)
        {
            accepted.Add(((byte[])values[i]!, (RedisValue)values[i + 1], withData ? (RedisValue)values[i + 2] : RedisValue.Null));
        }
        return new NodeRound(accepted, last is { Length: > 0 } ? last : null, (int)parts[1], (long)parts[2] == 1);
    }

    /// <summary>
    /// Merges the primaries' rounds: only what every primary examined up to is final — the earliest last-examined
    /// entry among primaries that may hold more — so accepted entries beyond it are left for the next round.
    /// </summary>
    internal static Round Merge(List<NodeRound> nodes, bool descending, int want)
    {
        int Order(byte[] a, byte[] b) => descending ? IndexValue.Compare(b, a) : IndexValue.Compare(a, b);

        byte[]? cutoff = null;
        var anyMore = false;
        var examined = 0;
        byte[]? furthest = null;
        foreach (var node in nodes)
        {
            examined += node.Examined;
            if (node.LastExamined is { } last && (furthest is null || Order(last, furthest) > 0))
            {
                furthest = last;
            }
            if (node.MayHaveMore)
            {
                anyMore = true;
                if (node.LastExamined is { } l && (cutoff is null || Order(l, cutoff) < 0))
                {
                    cutoff = l;
                }
            }
        }

        var merged = new List<Candidate>();
        var beyond = false;
        foreach (var node in nodes)
        {
            foreach (var (entry, version, data) in node.Accepted)
            {
                if (cutoff is null || Order(entry, cutoff) <= 0)
                {
                    merged.Add(new Candidate(entry, version, data));
                }
                else
                {
                    beyond = true;
                }
            }
        }
        if (nodes.Count > 1)
        {
            merged.Sort((a, b) => Order(a.Entry, b.Entry));
        }

        if (merged.Count >= want)
        {
            var kept = merged.GetRange(0, want);
            var lastKept = kept[^1].Entry;
            var more = anyMore || beyond || merged.Count > want || (furthest is not null && Order(furthest, lastKept) > 0);
            return new Round(kept, lastKept, examined, more);
        }
        return new Round(merged, cutoff ?? furthest, examined, anyMore);
    }
}
