using System.Text;
using Actors.Silo.Grains;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>
/// The catalog backfill (docs/queries.md, Catalog backfill): roots written before queries existed — no <c>v</c>, not
/// in their type set, perhaps still under the pre-partition key — get their version, type set membership and index
/// entries, one compare-and-set script per root, so a concurrent write always wins.
/// </summary>
internal sealed partial class RootIndexStore
{
    /// <summary>The value of the progress hash's <c>state</c> field once every primary was scanned.</summary>
    public const string BackfillDone = "done";

    /// <summary>
    /// A partitioned root without <c>v</c>: KEYS and ARGV of <see cref="RootWriteScript"/> (ARGV[1] = the etag it was
    /// read at, ARGV[2] and ARGV[3] unused). Returns 1 applied; 0 when the etag changed or <c>v</c> is there (a write
    /// came since the read and maintained everything itself); -1 when the definitions are older than the partition's.
    /// </summary>
    public const string BackfillScript = """
        if redis.call('HGET', KEYS[1], 'etag') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'v') == 1 then
          return 0
        end
        if tonumber(ARGV[7]) < tonumber(redis.call('GET', KEYS[3]) or '0') then
          return -1
        end
        redis.call('HSET', KEYS[1], 'v', ARGV[6])
        redis.call('ZADD', KEYS[2], 0, ARGV[4])
        """ + "\n" + IndexEntriesScript;

    /// <summary>
    /// A root found only under the pre-partition key: KEYS and ARGV of <see cref="RootWriteScript"/> for the new key,
    /// ARGV[2] = the old key's etag (kept, so a grain that read the old key can still write: see
    /// <see cref="EtagMatches"/>), ARGV[3] = its data. Returns 1 copied, 0 when the new key exists (a write moved it, and
    /// the old key is never read again), -1 as <see cref="BackfillScript"/>.
    /// </summary>
    public const string CopyLegacyScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return 0
        end
        if tonumber(ARGV[7]) < tonumber(redis.call('GET', KEYS[3]) or '0') then
          return -1
        end
        redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3], 'v', ARGV[6])
        redis.call('ZADD', KEYS[2], 0, ARGV[4])
        """ + "\n" + IndexEntriesScript;

    // KEYS: lease; ARGV: owner, milliseconds. Takes the lease, or extends it when the owner holds it already.
    private const string LeaseScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return 1
        end
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    // KEYS: lease, progress; ARGV: owner, milliseconds, then field, value pairs. Saves progress and extends the lease
    // only while the owner holds it: a runner that lost its lease (paused past it) must not move another's cursors back.
    private const string SaveBackfillScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        for i = 3, #ARGV, 2 do
          redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
        end
        return 1
        """;

    // KEYS: lease; ARGV: owner.
    private const string ReleaseLeaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>The backfill's progress: <c>state</c>, counts, and one SCAN cursor per (pass, primary).</summary>
    public RedisKey BackfillKey => $"actors/{{{_serviceId}}}/backfill";

    /// <summary>Who runs the backfill now (one silo at a time); expires when its holder stops renewing it.</summary>
    public RedisKey BackfillLeaseKey => $"actors/{{{_serviceId}}}/backfill-lease";

    /// <summary>SCAN pattern of partitioned root states: <c>actors/{&lt;service&gt;/p&lt;n&gt;}/root/root/&lt;type&gt;/&lt;id&gt;</c>.</summary>
    public string RootStatePattern => $"actors/{{{Glob(_serviceId)}/p*}}/root/{RootGrainType}/*";

    /// <summary>
    /// SCAN pattern of pre-partition root states: Orleans' Redis provider keyed them
    /// <c>&lt;service&gt;/state/&lt;grain id&gt;/&lt;state name&gt;</c>, i.e. <c>&lt;service&gt;/state/root/&lt;type&gt;/&lt;id&gt;/root</c>.
    /// </summary>
    public string LegacyRootStatePattern => $"{Glob(_serviceId)}/state/{RootGrainType}/*/root";

    /// <summary>The pre-partition key of a root's state (what the storage's legacy read falls back to).</summary>
    public RedisKey LegacyStateKey(string type, string id) => $"{_serviceId}/state/{RootGrainType}/{type}/{id}/root";

    /// <summary>The root <c>(type, id)</c> of a partitioned root state key from a SCAN, or null if it is not one.</summary>
    public (string Type, string Id)? ParseStateKey(string key) => ParseRoot(key, $"actors/{{{_serviceId}/p", "", partitioned: true);

    /// <summary>The root <c>(type, id)</c> of a pre-partition root state key from a SCAN, or null if it is not one.</summary>
    public (string Type, string Id)? ParseLegacyStateKey(string key) => ParseRoot(key, $"{_serviceId}/state/", "/root", partitioned: false);

    private (string Type, string Id)? ParseRoot(string key, string prefix, string suffix, bool partitioned)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal) || !key.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = key[prefix.Length..^suffix.Length];
        if (partitioned)
        {
            // "<n>}/root/root/type/id"
            var close = rest.IndexOf('}', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }
            rest = rest[(close + 1)..];
            var head = $"/root/{RootGrainType}/";
            if (!rest.StartsWith(head, StringComparison.Ordinal))
            {
                return null;
            }
            rest = rest[head.Length..];
        }
        else if (rest.StartsWith(RootGrainType + "/", StringComparison.Ordinal))
        {
            rest = rest[(RootGrainType.Length + 1)..];
        }
        else
        {
            return null;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1 || rest.IndexOf('/', slash + 1) >= 0)
        {
            return null;
        }
        var (type, id) = (rest[..slash], rest[(slash + 1)..]);
        // A key of another partition count (a layout this silo does not read) is left alone.
        return !partitioned || StateKey(type, id) == (RedisKey)key ? (type, id) : null;
    }

    /// <summary>Escapes Redis glob characters (<c>* ? [ ] \</c>) so a service id matches only itself.</summary>
    internal static string Glob(string literal)
    {
        var escaped = new StringBuilder(literal.Length);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>Whether the backfill has finished for this service (one HGET: what every silo checks at start).</summary>
    public async Task<bool> BackfillIsDoneAsync() =>
        await WriteDatabase.HashGetAsync(BackfillKey, "state").ConfigureAwait(false) == BackfillDone;

    /// <summary>Takes (or extends) the backfill lease for <paramref name="owner"/>; false when another holds it.</summary>
    public async Task<bool> TryLeaseBackfillAsync(string owner, TimeSpan lease) =>
        (long)await WriteDatabase.ScriptEvaluateAsync(LeaseScript, [BackfillLeaseKey], [owner, (long)lease.TotalMilliseconds]).ConfigureAwait(false) == 1;

    /// <summary>Gives the lease up (only if <paramref name="owner"/> holds it).</summary>
    public Task ReleaseBackfillAsync(string owner) => WriteDatabase.ScriptEvaluateAsync(ReleaseLeaseScript, [BackfillLeaseKey], [owner]);

    /// <summary>The saved progress, field by field (empty before the first run).</summary>
    public async Task<Dictionary<string, string>> LoadBackfillAsync() =>
        (await WriteDatabase.HashGetAllAsync(BackfillKey).ConfigureAwait(false)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);

    /// <summary>Saves progress fields and extends the lease; false when <paramref name="owner"/> no longer holds the lease (nothing saved).</summary>
    /// <remarks>Replicated: a cursor that says "scanned" must not survive a failover that lost what it covers.</remarks>
    public async Task<bool> SaveBackfillAsync(string owner, TimeSpan lease, IEnumerable<KeyValuePair<string, string>> fields)
    {
        RedisValue[] arguments = [owner, (long)lease.TotalMilliseconds, .. fields.SelectMany(f => new RedisValue[] { f.Key, f.Value })];
        long saved = 0;
        await ReplicatedAsync(BackfillKey, async () => saved = (long)await WriteDatabase.ScriptEvaluateAsync(
            SaveBackfillScript, [BackfillLeaseKey, BackfillKey], arguments, NoRedirect).ConfigureAwait(false)).ConfigureAwait(false);
        return saved == 1;
    }

    /// <summary>
    /// The Redis primaries to scan, by endpoint: on a Redis Cluster every node serving slots (all must be connected, or
    /// a scan would miss their keys), otherwise every connected server that is not a replica.
    /// </summary>
    public IReadOnlyList<IServer> Primaries()
    {
        var connection = _writes ?? throw new InvalidOperationException("Root storage is not connected yet.");
        var servers = connection.GetServers().Where(s => s.IsConnected).ToList();
        if (servers.Count == 0)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No Redis server is connected.");
        }
        if (servers.Any(s => s.ServerType == ServerType.Cluster))
        {
            // The client's own view of the slots (no admin command needed); a failover it has not seen yet fails a SCAN
            // or a script, and the backfill resumes later with a fresh view.
            var nodes = servers.Select(s => s.ClusterConfiguration).FirstOrDefault(c => c is not null)
                ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "The Redis Cluster's slot map is not known yet.");
            var primaries = new List<IServer>();
            foreach (var node in nodes.Nodes.Where(n => !n.IsReplica && n.Slots.Count > 0))
            {
                var server = node.EndPoint is { } endpoint ? connection.GetServer(endpoint) : null;
                if (server is not { IsConnected: true })
                {
                    throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"Primary {node.EndPoint} is not connected.");
                }
                primaries.Add(server);
            }
            return primaries;
        }
        return [.. servers.Where(s => !s.IsReplica)];
    }

    /// <summary>One SCAN step on one primary; cursor 0 back means that primary is done.</summary>
    public static async Task<(long Cursor, string[] Keys)> ScanAsync(IServer server, long cursor, string pattern, int count)
    {
        var result = (RedisResult[])(await server.ExecuteAsync("SCAN", [cursor, "MATCH", pattern, "COUNT", count]).ConfigureAwait(false))!;
        return ((long)result[0], [.. ((RedisResult[])result[1]!).Select(k => (string)k!)]);
    }

    /// <summary>
    /// Backfills the partitioned root states among <paramref name="keys"/> (one SCAN page): those without <c>v</c> and
    /// with a document get it, their type set membership and their entries (<see cref="BackfillScript"/>).
    /// </summary>
    public async Task<BackfillCounts> BackfillStatesAsync(IReadOnlyList<string> keys, Dictionary<string, TypeIndexes> definitions)
    {
        var roots = keys.Select(k => (Key: k, Root: ParseStateKey(k))).Where(r => r.Root is not null).Select(r => (r.Key, Root: r.Root!.Value)).ToList();
        var db = WriteDatabase;
        // Most keys hold v already (written since queries exist): look at etag and v first, read data only for the rest.
        var versions = await Task.WhenAll(roots.Select(r => db.HashExistsAsync(r.Key, VersionField))).ConfigureAwait(false);
        var missing = roots.Where((_, i) => !versions[i]).ToList();
        var states = await Task.WhenAll(missing.Select(r => db.HashGetAsync(r.Key, ["etag", "data"]))).ConfigureAwait(false);
        await StepAsync("read").ConfigureAwait(false);

        // Checked against the etag it was read at; the data stays where it is.
        var (pending, deleted) = Decode(missing, states, (root, state, etag, _) => new PendingRoot(root.Type, root.Id, state, etag, etag, RedisValue.EmptyString));
        var applied = await ApplyAsync(BackfillScript, pending, definitions).ConfigureAwait(false);
        return new BackfillCounts(keys.Count, applied, 0, deleted);
    }

    /// <summary>
    /// Copies the pre-partition root states among <paramref name="keys"/> whose new key does not exist, with their
    /// version, type set membership and entries (<see cref="CopyLegacyScript"/>). The old keys stay: the storage reads
    /// one only while the new key is absent, which after the copy it never is again.
    /// </summary>
    public async Task<BackfillCounts> CopyLegacyStatesAsync(IReadOnlyList<string> keys, Dictionary<string, TypeIndexes> definitions)
    {
        var roots = keys.Select(k => (Key: k, Root: ParseLegacyStateKey(k))).Where(r => r.Root is not null).Select(r => (r.Key, Root: r.Root!.Value)).ToList();
        var db = WriteDatabase;
        var moved = await Task.WhenAll(roots.Select(r => db.KeyExistsAsync(StateKey(r.Root.Type, r.Root.Id)))).ConfigureAwait(false);
        var missing = roots.Where((_, i) => !moved[i]).ToList();
        var states = await Task.WhenAll(missing.Select(r => db.HashGetAsync(r.Key, ["etag", "data"]))).ConfigureAwait(false);
        await StepAsync("read").ConfigureAwait(false);

        // The new key must be absent (expected ''); the old key's etag and data are copied as they are.
        var (pending, deleted) = Decode(missing, states, (root, state, etag, data) => new PendingRoot(root.Type, root.Id, state, "", etag, data));
        var copied = await ApplyAsync(CopyLegacyScript, pending, definitions).ConfigureAwait(false);
        return new BackfillCounts(keys.Count, 0, copied, deleted);
    }

    /// <summary>
    /// Turns the (etag, data) read for each of <paramref name="roots"/> into pending work: a state with a document
    /// becomes <paramref name="pending"/>'s root, one without a document counts as deleted, and an empty one is skipped
    /// (Orleans' provider clears a state by emptying data: that root does not exist).
    /// </summary>
    private (List<PendingRoot> Pending, int Deleted) Decode(
        List<(string Key, (string Type, string Id) Root)> roots, RedisValue[][] states, Func<(string Type, string Id), RootState, string, RedisValue, PendingRoot> pending)
    {
        var decoded = new List<PendingRoot>(roots.Count);
        var deleted = 0;
        for (var i = 0; i < roots.Count; i++)
        {
            var (etag, data) = (states[i][0], states[i][1]);
            if (etag.IsNull || data.IsNull || ((byte[])data!).Length == 0)
            {
                continue;
            }
            var state = Serializer.Deserialize<RootState>(new BinaryData((byte[])data!));
            if (state?.Document is null)
            {
                deleted++;
                continue;
            }
            decoded.Add(pending(roots[i].Root, state, etag.ToString(), data));
        }
        return (decoded, deleted);
    }

    /// <summary>
    /// Runs <paramref name="script"/> for every pending root, each partition's scripts followed by its replicas' barrier;
    /// roots refused for stale definitions go again with their type's reloaded ones. Returns how many applied.
    /// </summary>
    private async Task<int> ApplyAsync(string script, List<PendingRoot> pending, Dictionary<string, TypeIndexes> definitions)
    {
        var applied = 0;
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt > 5)
            {
                throw new InvalidOperationException("The index definitions kept changing during the catalog backfill; it retries this batch.");
            }
            foreach (var type in pending.Select(p => p.Type).Distinct(StringComparer.Ordinal).Where(t => !definitions.ContainsKey(t)).ToList())
            {
                definitions[type] = await LoadAsync(type).ConfigureAwait(false);
            }

            var db = WriteDatabase;
            var results = new long[pending.Count];
            var groups = pending.Select((root, i) => (Root: root, Index: i)).GroupBy(r => Keys.PartitionOf(RootIndexStore.RootGrainId(r.Root.Type, r.Root.Id)));
            await Task.WhenAll(groups.Select(group =>
            {
                var scripts = group.Select(r =>
                {
                    var (keys, arguments) = RootWrite(RootGrainId(r.Root.Type, r.Root.Id), r.Root.State, definitions[r.Root.Type], r.Root.Expected, r.Root.Etag, []);
                    arguments[2] = r.Root.Data;
                    return (r.Index, Keys: keys, Arguments: arguments);
                }).ToList();
                // The saved cursor says these roots are done: they must survive a failover of their partition's primary.
                return ReplicatedAsync(scripts[0].Keys[0], () => Task.WhenAll(scripts.Select(async s =>
                    results[s.Index] = (long)await db.ScriptEvaluateAsync(script, s.Keys, s.Arguments, NoRedirect).ConfigureAwait(false))));
            })).ConfigureAwait(false);
            await StepAsync("applied").ConfigureAwait(false);

            applied += results.Count(r => r == 1);
            var stale = pending.Where((_, i) => results[i] == -1).ToList();
            foreach (var type in stale.Select(p => p.Type).Distinct(StringComparer.Ordinal))
            {
                definitions.Remove(type);
            }
            pending = stale;
        }
        return applied;
    }

    private sealed record PendingRoot(string Type, string Id, RootState State, string Expected, string Etag, RedisValue Data);
}

/// <summary>What one backfill step found: keys examined, roots backfilled in place, roots copied from the old layout, deleted roots skipped.</summary>
internal readonly record struct BackfillCounts(long Examined, long Backfilled, long Copied, long Deleted)
{
    public static BackfillCounts operator +(BackfillCounts a, BackfillCounts b) =>
        new(a.Examined + b.Examined, a.Backfilled + b.Backfilled, a.Copied + b.Copied, a.Deleted + b.Deleted);
}
