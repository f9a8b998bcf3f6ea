using Actors.Silo.Diagnostics;
using Actors.Silo.Grains;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>Declaring, building and dropping indexes (docs/queries.md, Index build).</summary>
internal sealed partial class RootIndexStore
{
    // Replicated writes run on the primary whose barrier they wait for: a MOVED/ASK during a slot move fails them
    // (retried) instead of sending them to another primary, as for root writes (ReplicatedRedisGrainStorage).
    private const CommandFlags NoRedirect = CommandFlags.NoRedirect;

    // KEYS: definitions, epoch, building set; ARGV: name, definition, type/name.
    // Returns { existing definition or '', epoch }: a new definition bumps the type's epoch, so writers reload theirs.
    private const string DeclareScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if existing then
          return { existing, redis.call('GET', KEYS[2]) or '0' }
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('SADD', KEYS[3], ARGV[3])
        return { '', redis.call('INCR', KEYS[2]) }
        """;

    // KEYS: definitions, epoch, building set; ARGV: name, type/name. Returns { definition, epoch } or nil.
    private const string DropScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing then
          return nil
        end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('SREM', KEYS[3], ARGV[2])
        return { existing, redis.call('INCR', KEYS[2]) }
        """;

    // KEYS: partition epoch, index sorted set; ARGV: epoch. From here on every write to the partition carries the
    // definitions of that epoch (or is refused and reloads them); the set starts empty (leftovers of a dropped index
    // of the same name go).
    private const string ResetPartitionScript = """
        redis.call('DEL', KEYS[2])
        if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], ARGV[1])
        end
        return 1
        """;

    // KEYS: definitions, building set; ARGV: name, generation, new definition, ready ('1'), type/name.
    // Saves a build's cursor unless the index was dropped or declared again meanwhile.
    private const string SaveCursorScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing or cjson.decode(existing)['generation'] ~= ARGV[2] then
          return 0
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        if ARGV[4] == '1' then
          redis.call('SREM', KEYS[2], ARGV[5])
        end
        return 1
        """;

    // KEYS: root state, index sorted set; ARGV: etag the entry was computed at, field, entry or ''.
    // A changed etag means a write came after the build reached the partition: it set the entry itself.
    private const string ApplyBuiltScript = """
        if redis.call('HGET', KEYS[1], 'etag') ~= ARGV[1] then
          return 0
        end
        local old = redis.call('HGET', KEYS[1], ARGV[2])
        if old and old ~= ARGV[3] then
          redis.call('ZREM', KEYS[2], old)
        end
        if ARGV[3] == '' then
          if old then
            redis.call('HDEL', KEYS[1], ARGV[2])
          end
        else
          redis.call('ZADD', KEYS[2], 0, ARGV[3])
          redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
        end
        return 1
        """;

    /// <summary>Stores a new definition (bumping the epoch), or returns the one already under the name.</summary>
    public async Task<(IndexDefinition? Existing, long Epoch)> DeclareAsync(string type, string name, IndexDefinition definition)
    {
        RedisResult[] result = [];
        await ReplicatedAsync(DefinitionsKey(type), async () => result = (RedisResult[])(await WriteDatabase.ScriptEvaluateAsync(
            DeclareScript, [DefinitionsKey(type), EpochKey(type), BuildingKey], [name, definition.ToJson(), $"{type}/{name}"], NoRedirect).ConfigureAwait(false))!).ConfigureAwait(false);
        var existing = (string?)result[0];
        return (string.IsNullOrEmpty(existing) ? null : IndexDefinition.FromJson(existing), (long)result[1]);
    }

    /// <summary>Removes a definition (bumping the epoch) and its entries; null when there was none.</summary>
    public async Task<IndexDefinition?> DropAsync(string type, string name)
    {
        var result = RedisResult.Create(RedisValue.Null);
        await ReplicatedAsync(DefinitionsKey(type), async () => result = await WriteDatabase.ScriptEvaluateAsync(
            DropScript, [DefinitionsKey(type), EpochKey(type), BuildingKey], [name, $"{type}/{name}"], NoRedirect).ConfigureAwait(false)).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }
        var parts = (RedisResult[])result!;
        // Cleanup only: a crash before it leaves dead entries that a later declaration of the name clears partition by partition.
        await Task.WhenAll(Enumerable.Range(0, Partitions).Select(p => ResetPartitionAsync(p, type, name, (long)parts[1]))).ConfigureAwait(false);
        return IndexDefinition.FromJson((string)parts[0]!);
    }

    /// <summary>Starts a partition's build (or finishes its drop): see <see cref="ResetPartitionScript"/>; replicated, as writers depend on the epoch.</summary>
    public Task ResetPartitionAsync(int partition, string type, string name, long epoch)
    {
        var epochKey = PartitionEpochKey(partition, type);
        return ReplicatedAsync(epochKey, () => WriteDatabase.ScriptEvaluateAsync(ResetPartitionScript, [epochKey, IndexKey(partition, type, name)], [epoch], NoRedirect));
    }

    /// <summary>Saves a build's progress; false when the index was dropped or declared again since.</summary>
    public async Task<bool> SaveCursorAsync(string type, string name, string generation, IndexDefinition next)
    {
        var saved = await WriteDatabase.ScriptEvaluateAsync(
            SaveCursorScript, [DefinitionsKey(type), BuildingKey], [name, generation, next.ToJson(), next.Ready ? "1" : "0", $"{type}/{name}"]).ConfigureAwait(false);
        return (long)saved == 1;
    }

    /// <summary>The indexes being built, as <c>type/name</c>.</summary>
    public async Task<string[]> BuildingAsync() =>
        [.. (await WriteDatabase.SetMembersAsync(BuildingKey).ConfigureAwait(false)).Select(m => m.ToString())];

    /// <summary>
    /// Builds one batch of <paramref name="definition"/>'s current partition: starts the partition (see
    /// <see cref="ResetPartitionScript"/>) when it has not begun, indexes up to <paramref name="batchSize"/> roots after
    /// the cursor, and returns the definition with its cursor moved (not saved).
    /// </summary>
    public async Task<IndexDefinition> BuildBatchAsync(string type, string name, TypeIndexes indexes, IndexDefinition definition, int batchSize)
    {
        var partition = definition.Partition;
        if (partition >= Partitions)
        {
            return definition with { Ready = true, After = null };
        }

        var db = WriteDatabase;
        if (definition.After is null)
        {
            await ResetPartitionAsync(partition, type, name, indexes.Epoch).ConfigureAwait(false);
            await StepAsync("reset").ConfigureAwait(false);
        }

        var ids = await db.SortedSetRangeByValueAsync(
            TypeSetKey(partition, type), definition.After is null ? RedisValue.Null : (RedisValue)definition.After, RedisValue.Null,
            definition.After is null ? Exclude.None : Exclude.Start, Order.Ascending, 0, batchSize).ConfigureAwait(false);
        if (ids.Length > 0)
        {
            var pointer = indexes.Pointer(name);
            var index = IndexKey(partition, type, name);
            var field = Field(name);
            var states = await Task.WhenAll(ids.Select(id => db.HashGetAsync(StateKey(type, id!), ["etag", "data"]))).ConfigureAwait(false);
            await StepAsync("read").ConfigureAwait(false);
            var applies = new List<Func<Task<RedisResult>>>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                var (etag, data) = (states[i][0], states[i][1]);
                if (etag.IsNull || data.IsNull)
                {
                    continue;
                }
                var root = Serializer.Deserialize<RootState>(new BinaryData((byte[])data!));
                RedisValue entry = RedisValue.EmptyString;
                if (root?.Document is not null)
                {
                    using var document = System.Text.Json.JsonDocument.Parse(root.Document);
                    if (EntryOf(document.RootElement, pointer, ids[i]!) is { } bytes)
                    {
                        entry = bytes;
                    }
                }
                var (state, arguments) = (StateKey(type, ids[i]!), new RedisValue[] { etag, field, entry });
                applies.Add(() => db.ScriptEvaluateAsync(ApplyBuiltScript, [state, index], arguments, NoRedirect));
            }
            // The cursor saved after this batch says these entries exist: they must survive a failover of the partition's primary.
            await ReplicatedAsync(index, () => Task.WhenAll(applies.Select(apply => apply()))).ConfigureAwait(false);
            SiloInstruments.IndexBuildRoots.Add(applies.Count);
            await StepAsync("applied").ConfigureAwait(false);
        }

        return ids.Length < batchSize
            ? definition with { Partition = partition + 1, After = null, Ready = partition + 1 >= Partitions }
            : definition with { After = ids[^1]! };
    }

    /// <summary>
    /// Called between the steps of a build (<c>reset</c>, <c>read</c>, <c>applied</c>); tests make it throw on the Nth step to stop a
    /// build between any two of its Redis changes, as a crash would. Null in production.
    /// </summary>
    internal Func<string, ValueTask>? StepHook { get; set; }

    private ValueTask StepAsync(string step) => StepHook?.Invoke(step) ?? ValueTask.CompletedTask;

    /// <summary>Whether no partition holds a root of <paramref name="type"/>.</summary>
    public async Task<bool> TypeIsEmptyAsync(string type)
    {
        var db = WriteDatabase;
        var counts = await Task.WhenAll(Enumerable.Range(0, Partitions).Select(p => db.SortedSetLengthAsync(TypeSetKey(p, type)))).ConfigureAwait(false);
        return counts.All(c => c == 0);
    }
}
