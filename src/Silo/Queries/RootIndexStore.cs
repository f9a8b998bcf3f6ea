using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Actors.Silo.Documents;
using Actors.Silo.Grains;
using Actors.Silo.Storage;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Queries;

/// <summary>
/// Where the query entries of the Redis root storage live and how they change (docs/queries.md): the per-partition type
/// sets and index sorted sets next to the root states, the index definitions and epochs, and the scripts that change
/// them. One per silo, shared by the grain storage (which changes entries with every root write), the query grain and
/// the index builder.
/// </summary>
/// <remarks>
/// The storage owns the Redis connections (it opens and closes them with the silo) and hands them to this store with
/// <see cref="Attach"/>; nothing here disposes them.
/// </remarks>
internal sealed partial class RootIndexStore
{
    /// <summary>The grain type of root grains (<c>RootGrain</c>), the first part of their state keys.</summary>
    public const string RootGrainType = "root";

    /// <summary>The hash field of a root state holding its version while the root exists (absent once deleted).</summary>
    public const string VersionField = "v";

    private readonly string _serviceId;
    private readonly ConcurrentDictionary<string, TypeIndexes> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tokenKeyGate = new(1, 1);
    private readonly byte[]? _configuredTokenKey;
    private byte[]? _tokenKey;
    private ConnectionMultiplexer? _reads;
    private ConnectionMultiplexer? _writes;
    private Func<RedisKey, Func<Task>, Task>? _replicated;

    public RootIndexStore(string serviceId, int partitions, IGrainStorageSerializer serializer, string? configuredTokenKey = null)
    {
        _serviceId = serviceId;
        Keys = new RootStorageKeys(serviceId, partitions);
        Serializer = serializer;
        _configuredTokenKey = string.IsNullOrEmpty(configuredTokenKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(configuredTokenKey));
    }

    public RootStorageKeys Keys { get; }

    public int Partitions => Keys.Partitions;

    public IGrainStorageSerializer Serializer { get; }

    /// <summary>Gives the store the storage's connections once they are open.</summary>
    /// <param name="reads">The connection queries read through.</param>
    /// <param name="writes">The connection every write goes through (scripts, definitions).</param>
    /// <param name="replicated">Runs writes to one slot and waits for that slot's replicas (the storage's barrier).</param>
    public void Attach(ConnectionMultiplexer reads, ConnectionMultiplexer writes, Func<RedisKey, Func<Task>, Task> replicated)
    {
        _reads = reads;
        _writes = writes;
        _replicated = replicated;
    }

    /// <summary>Runs writes to the slot of <paramref name="key"/>, acknowledged once that slot's replicas hold them.</summary>
    public Task ReplicatedAsync(RedisKey key, Func<Task> writes) => _replicated is { } replicated ? replicated(key, writes) : writes();

    /// <summary>Whether the storage has handed its connections over (<see cref="Attach"/>).</summary>
    public bool IsConnected => _writes is not null;

    /// <summary>The connection queries read through.</summary>
    public ConnectionMultiplexer ReadConnection => _reads ?? throw new InvalidOperationException("Root storage is not connected yet.");

    public IDatabase ReadDatabase => (_reads ?? throw new InvalidOperationException("Root storage is not connected yet.")).GetDatabase();

    public IDatabase WriteDatabase => (_writes ?? throw new InvalidOperationException("Root storage is not connected yet.")).GetDatabase();

    private long _pagesByPrimary;
    private long _pagesByPartition;

    /// <summary>Pages whose reads all went as one script per primary (<see cref="NodePageReader"/>) since the silo started.</summary>
    public long PagesByPrimary => Interlocked.Read(ref _pagesByPrimary);

    /// <summary>Pages of which some reads went partition by partition because a primary refused its script.</summary>
    public long PagesByPartition => Interlocked.Read(ref _pagesByPartition);

    /// <summary>
    /// Whether pages read by primary (<see cref="NodePageReader"/>, falling back per partition when refused). Off: measured
    /// in one process against the per-partition read (docs/performance.md, Queries), it saved ~25–35 % of the silo's CPU per
    /// page but cost Redis 1.6–2.3× as much (the part that does not scale out), for 0.74–1.07× the pages on the 2-core machine.
    /// </summary>
    internal bool ReadByPrimary { get; set; }

    internal void CountPage(bool byPrimary) => Interlocked.Increment(ref byPrimary ? ref _pagesByPrimary : ref _pagesByPartition);

    // ---- keys (docs/queries.md, Where entries live) ----

    public RedisKey TypeSetKey(int partition, string type) => $"actors/{Keys.Tag(partition)}/type/{type}";

    public RedisKey IndexKey(int partition, string type, string name) => $"actors/{Keys.Tag(partition)}/ix/{type}/{name}";

    public RedisKey PartitionEpochKey(int partition, string type) => $"actors/{Keys.Tag(partition)}/ixepoch/{type}";

    public RedisKey DefinitionsKey(string type) => $"actors/{{{_serviceId}}}/indexes/{type}";

    public RedisKey EpochKey(string type) => $"actors/{{{_serviceId}}}/ixepoch/{type}";

    /// <summary>The set of <c>type/name</c> of indexes being built, which every silo re-pokes (<see cref="Hosting.IndexBuildKeeper"/>).</summary>
    public RedisKey BuildingKey => $"actors/{{{_serviceId}}}/ixbuilding";

    private RedisKey TokenKeyKey => $"actors/{{{_serviceId}}}/query-token-key";

    public static string Field(string indexName) => "ix:" + indexName;

    public static GrainId RootGrainId(string type, string id) => GrainId.Create(RootGrainType, $"{type}/{id}");

    public RedisKey StateKey(string type, string id) => Keys.StateKey("root", RootGrainId(type, id));

    // ---- definitions ----

    private const string LoadScript = """
        return { redis.call('GET', KEYS[1]) or '0', redis.call('HGETALL', KEYS[2]) }
        """;

    /// <summary>The type's definitions and the epoch they are current for, read atomically (one slot).</summary>
    public async Task<TypeIndexes> LoadAsync(string type)
    {
        var result = (RedisResult[])(await WriteDatabase.ScriptEvaluateAsync(LoadScript, [EpochKey(type), DefinitionsKey(type)]).ConfigureAwait(false))!;
        var epoch = (long)result[0];
        var fields = (RedisResult[])result[1]!;
        var definitions = new SortedDictionary<string, IndexDefinition>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            definitions[(string)fields[i]!] = IndexDefinition.FromJson((string)fields[i + 1]!);
        }
        var indexes = new TypeIndexes(epoch, definitions);
        // Loads run concurrently (queries, writers reloading after a refusal): one that read an older epoch must not
        // replace a newer one, or the next writes would be refused and reload again.
        _cache.AddOrUpdate(type, static (_, loaded) => loaded, static (_, cached, loaded) => cached.Epoch > loaded.Epoch ? cached : loaded, indexes);
        return indexes;
    }

    /// <summary>
    /// The type's definitions for a query on <paramref name="index"/>: the cached ones when they hold it ready and the
    /// type's epoch is still theirs (one GET instead of the load script and parsing every definition), else a load. An
    /// index stops being ready or goes away only through a declare or drop, which bump the epoch, so a ready index at an
    /// unchanged epoch is still ready; a cached one not ready yet (building, unknown) is always reloaded.
    /// </summary>
    public async Task<TypeIndexes> ForQueryAsync(string type, string index)
    {
        if (_cache.TryGetValue(type, out var cached) && cached.Definitions.TryGetValue(index, out var definition) && definition.Ready)
        {
            var epoch = (long?)await WriteDatabase.StringGetAsync(EpochKey(type)).ConfigureAwait(false) ?? 0;
            if (epoch == cached.Epoch)
            {
                return cached;
            }
        }
        return await LoadAsync(type).ConfigureAwait(false);
    }

    /// <summary>The type's definitions as this silo last loaded them (loads them the first time).</summary>
    public ValueTask<TypeIndexes> CachedAsync(string type) =>
        _cache.TryGetValue(type, out var cached) ? ValueTask.FromResult(cached) : new ValueTask<TypeIndexes>(LoadAsync(type));

    // ---- the root write (ReplicatedRedisGrainStorage) ----

    /// <summary>
    /// The etag check every write script of a state starts with (KEYS[1] the state, ARGV[1] the expected etag): sets
    /// <c>matches</c>. Expected <c>''</c>: the key must be absent. Expected <c>legacy:&lt;etag&gt;</c> (a state the
    /// storage read from the pre-partition key): absent, or the catalog backfill's copy of that state, which kept its
    /// etag — so a grain that read the old key before the copy still writes. Otherwise: equal.
    /// </summary>
    public const string EtagMatches = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        local matches
        if string.sub(ARGV[1], 1, 7) == 'legacy:' then
          matches = (not etag) or ('legacy:' .. etag) == ARGV[1]
        else
          matches = (not etag and ARGV[1] == '') or etag == ARGV[1]
        end
        """;

    /// <summary>
    /// KEYS: state, type set, partition epoch, then one index sorted set per definition.
    /// ARGV: expected etag ('' = absent, see <see cref="EtagMatches"/>), new etag, data, id, exists ('1'/'0'), version, the writer's epoch, then
    /// (field, entry or '') per index. Returns 1 applied, 0 etag mismatch, -1 the writer's definitions are older than the
    /// partition's (nothing changed: reload them and run again).
    /// </summary>
    public const string RootWriteScript = EtagMatches + """

        if not matches then
          return 0
        end
        if tonumber(ARGV[7]) < tonumber(redis.call('GET', KEYS[3]) or '0') then
          return -1
        end
        redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
        if ARGV[5] == '1' then
          redis.call('HSET', KEYS[1], 'v', ARGV[6])
          redis.call('ZADD', KEYS[2], 0, ARGV[4])
        else
          redis.call('HDEL', KEYS[1], 'v')
          redis.call('ZREM', KEYS[2], ARGV[4])
        end
        """ + "\n" + IndexEntriesScript;

    /// <summary>
    /// The end of every script that maintains a root's index entries (<see cref="RootWriteScript"/> and the backfill's):
    /// KEYS[4..] the index sets, ARGV[8..] (field, entry or '') per index. Replaces the entry each field held (a build
    /// that reached the root first may have put one there already), removes it for '', and returns 1.
    /// </summary>
    private const string IndexEntriesScript = """
        for j = 1, #KEYS - 3 do
          local field = ARGV[6 + 2 * j]
          local entry = ARGV[7 + 2 * j]
          local old = redis.call('HGET', KEYS[1], field)
          if old and old ~= entry then
            redis.call('ZREM', KEYS[3 + j], old)
          end
          if entry == '' then
            if old then
              redis.call('HDEL', KEYS[1], field)
            end
          else
            redis.call('ZADD', KEYS[3 + j], 0, entry)
            redis.call('HSET', KEYS[1], field, entry)
          end
        end
        return 1
        """;

    /// <summary>The keys and arguments of <see cref="RootWriteScript"/> for writing <paramref name="state"/> of root <c>type/id</c>.</summary>
    public (RedisKey[] Keys, RedisValue[] Arguments) RootWrite(
        GrainId grainId, RootState state, TypeIndexes indexes, string expectedEtag, string etag, byte[] data)
    {
        var (type, id) = Split(grainId);
        var partition = Keys.PartitionOf(grainId);
        var keys = new RedisKey[3 + indexes.Definitions.Count];
        var arguments = new RedisValue[7 + 2 * indexes.Definitions.Count];
        keys[0] = Keys.StateKey("root", grainId);
        keys[1] = TypeSetKey(partition, type);
        keys[2] = PartitionEpochKey(partition, type);
        arguments[0] = expectedEtag;
        arguments[1] = etag;
        arguments[2] = data;
        arguments[3] = id;
        arguments[4] = state.Document is null ? "0" : "1";
        arguments[5] = state.Version;
        arguments[6] = indexes.Epoch;
        if (indexes.Definitions.Count == 0)
        {
            return (keys, arguments);
        }

        using var document = state.Document is null ? null : JsonDocument.Parse(state.Document);
        var j = 0;
        foreach (var (name, definition) in indexes.Definitions)
        {
            keys[3 + j] = IndexKey(partition, type, name);
            arguments[7 + 2 * j] = Field(name);
            arguments[8 + 2 * j] = document is null ? RedisValue.EmptyString : EntryOf(document.RootElement, indexes.Pointer(name), id) ?? RedisValue.EmptyString;
            j++;
        }
        return (keys, arguments);
    }

    /// <summary>The index entry of a document for the index on <paramref name="pointer"/>; null when it has no indexable value there.</summary>
    public static byte[]? EntryOf(JsonElement document, JsonPointer pointer, string id) =>
        pointer.TryEvaluate(document, out var value) && IndexValue.Encode(value) is { } encoded ? IndexValue.Entry(encoded, id) : null;

    /// <summary>The type and id of a root grain's key <c>type/id</c>.</summary>
    public static (string Type, string Id) Split(GrainId grainId)
    {
        var key = grainId.Key.ToString()!;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    // ---- the token key ----

    /// <summary>
    /// The key of query tokens: <c>Actors:Queries:TokenKey</c> when configured, else one generated once and kept in Redis
    /// (SET NX), so every silo of the service signs and checks the same tokens. Never logged.
    /// </summary>
    public async ValueTask<byte[]> TokenKeyAsync()
    {
        if (_configuredTokenKey is not null)
        {
            return _configuredTokenKey;
        }
        if (_tokenKey is not null)
        {
            return _tokenKey;
        }

        await _tokenKeyGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_tokenKey is null)
            {
                var db = WriteDatabase;
                await db.StringSetAsync(TokenKeyKey, RandomNumberGenerator.GetBytes(32), when: When.NotExists).ConfigureAwait(false);
                var stored = (byte[]?)await db.StringGetAsync(TokenKeyKey).ConfigureAwait(false);
                _tokenKey = stored is { Length: > 0 } ? stored : throw new InvalidOperationException("The query token key could not be stored in Redis.");
            }
            return _tokenKey;
        }
        finally
        {
            _tokenKeyGate.Release();
        }
    }
}

/// <summary>A type's index definitions, by name, current for an epoch; the parsed pointers cached.</summary>
internal sealed class TypeIndexes(long epoch, IReadOnlyDictionary<string, IndexDefinition> definitions)
{
    private readonly ConcurrentDictionary<string, JsonPointer> _pointers = new(StringComparer.Ordinal);

    public long Epoch { get; } = epoch;

    public IReadOnlyDictionary<string, IndexDefinition> Definitions { get; } = definitions;

    public JsonPointer Pointer(string name) => _pointers.GetOrAdd(name, static (n, d) =>
        JsonPointer.TryParse(d[n].Pointer, out var pointer, out _) ? pointer : throw new InvalidOperationException($"Index {n} has an invalid pointer."), Definitions);
}
