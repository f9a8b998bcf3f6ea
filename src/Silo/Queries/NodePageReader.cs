using System.Net;
using Actors.Silo.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>
/// The two reads of a page round with one command per Redis primary instead of one per partition or per root
/// (docs/queries.md, Reading a page): the partitions are grouped by the primary that serves their slot now, and each
/// primary runs <see cref="RangesScript"/> (the range read of each of its partitions) or <see cref="StatesScript"/>
/// (the <c>HMGET</c> of each candidate's state). The merge stays in the silo (<see cref="PartitionMerge"/>). A primary
/// that refuses (a slot moved away or is being moved, the cluster is down, Redis older than 7.0) throws
/// <see cref="RedisServerException"/>; nothing of that round is used, and the caller reads it per partition instead.
/// </summary>
/// <remarks>
/// <para>Why: StackExchange.Redis' client cost per command (~5 µs of silo CPU) made a page of ~64 range reads and ~100
/// HMGETs cost ~1 ms of silo CPU. Inside a script the same commands cost Redis about what they cost it pipelined
/// (HMGET) or ~1 µs more (ZRANGE BYLEX), measured on redis-server 7.0.15. Merging inside Redis as well was tried and
/// measured: Lua's comparisons and bookkeeping doubled Redis' time per page, and Redis, unlike silos, does not scale out.</para>
/// <para>Why the names travel in ARGV and no key is declared: Redis Cluster routes and checks EVAL by its declared
/// keys, and refuses keys of several slots with CROSSSLOT before the script runs, whatever its flags (checked on
/// 7.0.15). <c>allow-cross-slot-keys</c> only lets the script itself touch keys of several slots; every command it runs
/// is still checked: a key whose slot this node does not serve, or whose slot is being migrated or imported and is not
/// all here, fails the script ("Script attempted to access …"), and so does a cluster that is down. ACL key permissions
/// are checked per command inside scripts too, so a user gains no access this way.</para>
/// </remarks>
internal sealed class NodePageReader(RootIndexStore store)
{
    /// <summary>
    /// ARGV: rev ('1'/'0'), count, then per partition (sorted set, min, max in ZRANGE BYLEX syntax). Returns the entries
    /// of each partition's range, up to count each, in the page's order.
    /// </summary>
    public const string RangesScript = """
        #!lua flags=no-writes,allow-cross-slot-keys
        local rev, count = ARGV[1] == '1', ARGV[2]
        local out = {}
        for i = 3, #ARGV, 3 do
          if rev then
            out[#out + 1] = redis.call('ZRANGE', ARGV[i], ARGV[i + 2], ARGV[i + 1], 'BYLEX', 'REV', 'LIMIT', 0, count)
          else
            out[#out + 1] = redis.call('ZRANGE', ARGV[i], ARGV[i + 1], ARGV[i + 2], 'BYLEX', 'LIMIT', 0, count)
          end
        end
        return out
        """;

    /// <summary>ARGV: the number of fields, the fields, then the state keys. Returns each state's HMGET of the fields.</summary>
    public const string StatesScript = """
        #!lua flags=no-writes,allow-cross-slot-keys
        local nf = tonumber(ARGV[1])
        local fields = {}
        for i = 1, nf do
          fields[i] = ARGV[1 + i]
        end
        local out = {}
        for i = nf + 2, #ARGV do
          out[#out + 1] = redis.call('HMGET', ARGV[i], unpack(fields))
        end
        return out
        """;

    /// <summary>The indexes (into <paramref name="keys"/>) served by each primary now (one group on a single Redis).</summary>
    public static List<(EndPoint Primary, List<int> Members)> Group(IReadOnlyList<RedisKey> keys, Func<RedisKey, EndPoint> primaryOf)
    {
        var groups = new List<(EndPoint, List<int>)>();
        for (var i = 0; i < keys.Count; i++)
        {
            var primary = primaryOf(keys[i]);
            var group = groups.FindIndex(g => g.Item1.Equals(primary));
            if (group < 0)
            {
                groups.Add((primary, [i]));
            }
            else
            {
                groups[group].Item2.Add(i);
            }
        }
        return groups;
    }

    /// <summary>Up to <paramref name="count"/> entries of each requested partition's range, one script per primary.</summary>
    public async Task<IReadOnlyList<byte[]>[]> RangesAsync(
        IReadOnlyList<RedisKey> partitionKeys, IReadOnlyList<(int Partition, LexRange Range)> requests, int count, bool descending)
    {
        var keys = requests.Select(r => partitionKeys[r.Partition]).ToArray();
        var results = new IReadOnlyList<byte[]>[requests.Count];
        await Task.WhenAll(GroupByPrimary(keys).Select(async g =>
        {
            var arguments = new List<object>(4 + 3 * g.Members.Count) { ScriptDigests.Of(RangesScript), 0, descending ? "1" : "0", count };
            foreach (var i in g.Members)
            {
                // As values, not RedisKey: the client would route (and slot-check) keys; see the remarks.
                arguments.Add((byte[])keys[i]!);
                arguments.Add(Bound(requests[i].Range.Min, requests[i].Range.MinExclusive, "-"u8));
                arguments.Add(Bound(requests[i].Range.Max, requests[i].Range.MaxExclusive, "+"u8));
            }
            var answers = (RedisResult[])(await EvaluateAsync(g.Server, RangesScript, arguments).ConfigureAwait(false))!;
            for (var j = 0; j < g.Members.Count; j++)
            {
                results[g.Members[j]] = [.. ((RedisResult[])answers[j]!).Select(v => (byte[])v!)];
            }
        })).ConfigureAwait(false);
        return results;
    }

    /// <summary>The HMGET of <paramref name="fields"/> of each state key, one script per primary.</summary>
    public async Task<RedisValue[][]> StatesAsync(IReadOnlyList<RedisKey> stateKeys, RedisValue[] fields)
    {
        var results = new RedisValue[stateKeys.Count][];
        await Task.WhenAll(GroupByPrimary(stateKeys).Select(async g =>
        {
            var arguments = new List<object>(3 + fields.Length + g.Members.Count) { ScriptDigests.Of(StatesScript), 0, fields.Length };
            arguments.AddRange(fields.Select(f => (object)(byte[])f!));
            foreach (var i in g.Members)
            {
                arguments.Add((byte[])stateKeys[i]!);
            }
            var answers = (RedisResult[])(await EvaluateAsync(g.Server, StatesScript, arguments).ConfigureAwait(false))!;
            for (var j = 0; j < g.Members.Count; j++)
            {
                results[g.Members[j]] = [.. ((RedisResult[])answers[j]!).Select(v => (RedisValue)v)];
            }
        })).ConfigureAwait(false);
        return results;
    }

    private IEnumerable<(IServer Server, List<int> Members)> GroupByPrimary(IReadOnlyList<RedisKey> keys)
    {
        var connection = store.ReadConnection;
        return Group(keys, key => connection.GetServer(key, flags: CommandFlags.DemandMaster).EndPoint)
            .Select(g => (connection.GetServer(g.Primary), g.Members));
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

    private static byte[] Bound(byte[]? bound, bool exclusive, ReadOnlySpan<byte> open)
    {
        if (bound is null)
        {
            return open.ToArray();
        }
        var value = new byte[bound.Length + 1];
        value[0] = exclusive ? (byte)'(' : (byte)'[';
        bound.CopyTo(value, 1);
        return value;
    }
}
