using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Actors.Contracts;
using Actors.Silo.Diagnostics;
using Actors.Silo.Grains;
using Actors.Silo.Options;
using Actors.Silo.Queries;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Storage;

/// <summary>
/// The root grains' storage on Redis — one server or a Redis Cluster — that acknowledges a write only once it is on its
/// primary and on <see cref="RootStorageOptions.MinReplicas"/> replicas (docs/reliability.md, Redundant storage).
/// </summary>
/// <remarks>
/// <para>A state is a hash <c>{etag, data}</c> (the format of Orleans' Redis provider) under the key of
/// <see cref="RootStorageKeys"/>. Writes are a compare-and-set script on the etag, sent to the primary that owns the
/// key over this storage's write connection, followed by that primary's <see cref="ReplicationBarrier"/>.</para>
/// <para>Reading a state that exists also passes a barrier: the state may hold a write whose replication failed (it
/// was refused, and its sender will retry it as a duplicate), and a duplicate must not be acknowledged before the write
/// it repeats is replicated. One extra write and WAIT per activation, none per read.</para>
/// <para>States written by the previous layout (Orleans' provider, key <c>&lt;service&gt;/state/…</c>) are read
/// through <paramref name="legacy"/> when the new key is absent, and move to the new key on their next write.</para>
/// <para>One Redis without replicas cannot acknowledge anything on a replica: then the storage logs once, loudly, that
/// the data is not redundant, and acknowledges on the primary alone.</para>
/// </remarks>
internal sealed partial class ReplicatedRedisGrainStorage(
    string name,
    string connectionString,
    string serviceId,
    RootStorageOptions options,
    IGrainStorageSerializer serializer,
    IGrainStorage? legacy,
    ILogger<ReplicatedRedisGrainStorage> logger,
    RootIndexStore? indexes = null) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const string LegacyEtagPrefix = "legacy:";

    // KEYS[1] = state key; ARGV = expected etag (RootIndexStore.EtagMatches), new etag, data. Returns 1, or 0 on an etag mismatch.
    private const string WriteScript = RootIndexStore.EtagMatches + """

        if matches then
          redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
          return 1
        end
        return 0
        """;

    // KEYS[1] = state key; ARGV[1] = expected etag. Rewrites the etag it finds, so the write connection has a write
    // that the barrier can wait for, replicated after everything the key held before.
    private const string TouchScript = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if etag == ARGV[1] then
          redis.call('HSET', KEYS[1], 'etag', etag)
          return 1
        end
        return 0
        """;

    private const string ClearScript = RootIndexStore.EtagMatches + """

        if matches then
          redis.call('DEL', KEYS[1])
          return 1
        end
        return 0
        """;

    // How often a root write reloads stale index definitions before it gives up (each reload follows a concurrent
    // declare or drop; more than a few in a row means definitions change faster than writes can follow).
    private const int IndexReloads = 5;

    // How long a multi-key write keeps retrying while its slot is being moved between shards (TRYAGAIN): 20 × 50 ms.
    private const int TryAgainAttempts = 20;
    private static readonly TimeSpan TryAgainPause = TimeSpan.FromMilliseconds(50);

    private readonly RootStorageKeys _keys = new(serviceId, options.Partitions);
    private readonly ConcurrentDictionary<EndPoint, ReplicationBarrier> _barriers = new();
    private readonly SemaphoreSlim _topologyGate = new(1, 1);
    private ConnectionMultiplexer? _reads;
    private ConnectionMultiplexer? _writes;
    private volatile bool _topologyKnown;
    private int _minReplicas = options.MinReplicas;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(ReplicatedRedisGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices, InitAsync, CloseAsync);

    /// <summary>Connects (retrying in the background when Redis is down) and decides how many replicas a write needs.</summary>
    internal async Task InitAsync(CancellationToken cancellationToken)
    {
        _reads = await ConnectionMultiplexer.ConnectAsync(Configuration("reads")).ConfigureAwait(false);
        _writes = await ConnectionMultiplexer.ConnectAsync(Configuration("writes")).ConfigureAwait(false);
        _writes.ConnectionFailed += (_, e) => BarrierFor(e.EndPoint)?.ConnectionChanged();
        _writes.ConnectionRestored += (_, e) => BarrierFor(e.EndPoint)?.ConnectionChanged();
        indexes?.Attach(_reads, _writes, RunReplicatedAsync);
        if (_writes.IsConnected)
        {
            await EnsureTopologyAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Decides once, on the first connection, whether replicas can acknowledge writes: not on one Redis server without
    /// replicas, which is then said loudly. Until Redis answers nothing can be written, so nothing waits on this.
    /// </summary>
    private async Task EnsureTopologyAsync()
    {
        if (_topologyKnown || options.MinReplicas == 0)
        {
            return;
        }

        await _topologyGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_topologyKnown)
            {
                return;
            }

            if (!Writes.GetServers().Any(s => s.IsConnected))
            {
                throw new StorageUnavailableException("Redis is not reachable now.");
            }

            if (await IsLoneServerAsync().ConfigureAwait(false))
            {
                _minReplicas = 0;
                LogNotRedundant(logger, name);
            }

            _topologyKnown = true;
        }
        finally
        {
            _topologyGate.Release();
        }
    }

    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in new[] { _writes, _reads })
        {
            if (connection is not null)
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _writes?.Dispose();
        _reads?.Dispose();
        _topologyGate.Dispose();
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = _keys.StateKey(stateName, grainId);
        HashEntry[] entries;
        try
        {
            entries = await Reads.GetDatabase().HashGetAllAsync(key).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw StorageFailure.Unavailable($"Reading {key} failed: {ex.Message}", ex);
        }

        if (TryGet(entries, "etag", out var etag) && TryGet(entries, "data", out var data))
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])data!));
            grainState.ETag = etag;
            grainState.RecordExists = true;
            await BarrierAfterReadAsync(key, etag!).ConfigureAwait(false);
            return;
        }

        if (legacy is not null)
        {
            try
            {
                await legacy.ReadStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Orleans' own exception type is unknown to gateways; ours crosses the grain boundary as a 503, and
                // StorageFailure keeps only the part of the cause a gateway can load.
                throw StorageFailure.Unavailable($"Reading the old-layout state of {grainId} failed: {ex.Message}", ex);
            }

            if (grainState.RecordExists)
            {
                // The next write creates the new key (absent, or the catalog backfill's copy of this very state) and
                // leaves the old one unread from then on.
                grainState.ETag = LegacyEtagPrefix + grainState.ETag;
                return;
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // One span per state written (the root, now and then the write-id archive), the replication wait inside it.
        using var activity = SiloInstruments.Source.StartActivity(SiloInstruments.StorageWriteSpan, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("actors.state", stateName);
            activity.SetTag("actors.grain", grainId.ToString());
        }
        try
        {
            await WriteStateCoreAsync(stateName, grainId, grainState).ConfigureAwait(false);
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private async Task WriteStateCoreAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = _keys.StateKey(stateName, grainId);
        var expected = ExpectedEtag(grainState.ETag);
        var etag = Guid.NewGuid().ToString("N");
        var data = serializer.Serialize(grainState.State).ToArray();
        if (indexes is not null && stateName == "root" && grainState.State is RootState root)
        {
            await WriteIndexedAsync(grainId, root, expected, etag, data, grainState.ETag).ConfigureAwait(false);
        }
        else
        {
            await ExecuteReplicatedAsync([key], WriteScript, [expected, etag, data], grainState.ETag).ConfigureAwait(false);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <summary>
    /// A root write with its query entries (docs/queries.md, Consistency): document, version, type set and index entries
    /// change in one script with the etag check, so the replication barrier after it covers them all. When the script
    /// finds this silo's index definitions older than the partition's, nothing was written: reload them and run again.
    /// </summary>
    private async Task WriteIndexedAsync(GrainId grainId, RootState root, string expected, string etag, byte[] data, string? etagForErrors)
    {
        var (type, _) = RootIndexStore.Split(grainId);
        TypeIndexes definitions;
        try
        {
            definitions = await indexes!.CachedAsync(type).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw StorageFailure.Unavailable($"Reading the index definitions of type {type} failed: {ex.Message}", ex);
        }

        for (var attempt = 0; ; attempt++)
        {
            var (keys, arguments) = indexes.RootWrite(grainId, root, definitions, expected, etag, data);
            try
            {
                await ExecuteReplicatedAsync(keys, RootIndexStore.RootWriteScript, arguments, etagForErrors).ConfigureAwait(false);
                return;
            }
            catch (StaleIndexDefinitionsException) when (attempt < IndexReloads)
            {
                try
                {
                    definitions = await indexes.LoadAsync(type).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    throw StorageFailure.Unavailable($"Reloading the index definitions of type {type} failed: {ex.Message}", ex);
                }
            }
            catch (StaleIndexDefinitionsException)
            {
                throw new StorageUnavailableException($"The index definitions of type {type} kept changing during a write; it was not applied.");
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="writes"/> (to keys of <paramref name="key"/>'s slot, over the write connection) and then waits
    /// for the replicas of that slot's primary like a root write: the index builder's entries must survive a failover
    /// as the documents do, since its saved cursor says they exist.
    /// </summary>
    internal async Task RunReplicatedAsync(RedisKey key, Func<Task> writes)
    {
        await EnsureTopologyAsync().ConfigureAwait(false);
        if (_minReplicas == 0)
        {
            await writes().ConfigureAwait(false);
            return;
        }

        var endpoint = await Writes.GetDatabase().IdentifyEndpointAsync(key).ConfigureAwait(false)
            ?? throw new StorageUnavailableException($"No Redis primary serves {key} now.");
        var server = Writes.GetServer(endpoint);
        var barrier = _barriers.GetOrAdd(endpoint, static (_, s) => new ReplicationBarrier(s), server);
        var generation = barrier.Generation;
        await writes().ConfigureAwait(false);
        var acknowledged = await barrier.WaitAsync(_minReplicas, options.ReplicationTimeout).ConfigureAwait(false);
        if (acknowledged < _minReplicas || barrier.Generation != generation)
        {
            throw new StorageUnavailableException($"Only {acknowledged} of {_minReplicas} replicas of {endpoint} confirmed writes to the slot of {key} in time.");
        }

        // These writes go through the database, which follows MOVED/ASK: while the slot moved to another shard they may
        // have landed on a primary whose replicas this barrier did not wait for. Then they are not acknowledged (the
        // builder runs the batch again, which is idempotent), as a root write declining the redirect is not.
        var after = await Writes.GetDatabase().IdentifyEndpointAsync(key).ConfigureAwait(false);
        if (!endpoint.Equals(after))
        {
            throw new StorageUnavailableException($"The slot of {key} moved from {endpoint} to {after?.ToString() ?? "no primary"} during the write; its replicas are not known to hold it.");
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = _keys.StateKey(stateName, grainId);
        await ExecuteReplicatedAsync([key], ClearScript, [ExpectedEtag(grainState.ETag)], grainState.ETag).ConfigureAwait(false);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    // A legacy etag goes to the script as it is: the new key must then be absent, or the catalog backfill's copy of the
    // same old state (RootIndexStore.EtagMatches).
    private static string ExpectedEtag(string? etag) => etag ?? "";

    private async Task BarrierAfterReadAsync(RedisKey key, string etag)
    {
        await EnsureTopologyAsync().ConfigureAwait(false);
        if (_minReplicas == 0)
        {
            return;
        }

        // A mismatch means another activation wrote since the read; its own write waited for the replicas.
        await ExecuteReplicatedAsync([key], TouchScript, [etag], etag, mismatchIsConflict: false).ConfigureAwait(false);
    }

    /// <summary>Runs a script on the primary that owns the first of <paramref name="keys"/> (they share its slot), then waits for its replicas.</summary>
    private async Task ExecuteReplicatedAsync(RedisKey[] keys, string script, RedisValue[] arguments, string? etagForErrors, bool mismatchIsConflict = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ExecuteReplicatedOnceAsync(keys, script, arguments, etagForErrors, mismatchIsConflict).ConfigureAwait(false);
                return;
            }
            catch (StorageUnavailableException ex) when (attempt < TryAgainAttempts && IsTryAgain(ex.InnerException))
            {
                // A root write touches several keys of its slot (docs/queries.md); while Redis moves that slot to another
                // shard, some may have moved already and Redis refuses the script with TRYAGAIN before running any of it.
                await Task.Delay(TryAgainPause).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTryAgain(Exception? exception) =>
        exception is RedisServerException { Message: var message } && message.StartsWith("TRYAGAIN", StringComparison.Ordinal);

    private async Task ExecuteReplicatedOnceAsync(RedisKey[] keys, string script, RedisValue[] arguments, string? etagForErrors, bool mismatchIsConflict)
    {
        var key = keys[0];
        await EnsureTopologyAsync().ConfigureAwait(false);
        if (_minReplicas == 0)
        {
            // Nothing to wait for: let StackExchange.Redis route the script by key (and cache it as EVALSHA) like any command.
            RedisResult direct;
            try
            {
                direct = await Writes.GetDatabase().ScriptEvaluateAsync(script, keys, arguments).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw StorageFailure.Unavailable($"Writing {key} failed: {ex.Message}", ex);
            }

            ThrowOnMismatch(direct, key, etagForErrors, mismatchIsConflict);
            return;
        }

        IServer server;
        ReplicationBarrier barrier;
        int generation;
        RedisResult result;
        try
        {
            var endpoint = await Writes.GetDatabase().IdentifyEndpointAsync(key).ConfigureAwait(false)
                ?? throw new StorageUnavailableException($"No Redis primary serves {key} now.");
            server = Writes.GetServer(endpoint);
            barrier = _barriers.GetOrAdd(endpoint, static (_, s) => new ReplicationBarrier(s), server);
            generation = barrier.Generation;
            result = await EvaluateAsync(server, script, keys, arguments).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StorageUnavailableException)
        {
            throw StorageFailure.Unavailable($"Writing {key} failed: {ex.Message}", ex);
        }

        if (!ThrowOnMismatch(result, key, etagForErrors, mismatchIsConflict))
        {
            return;
        }

        long acknowledged;
        var waitStarted = Stopwatch.GetTimestamp();
        using (var wait = SiloInstruments.Source.StartActivity(SiloInstruments.ReplicationWaitSpan, ActivityKind.Client))
        {
            wait?.SetTag("db.system.name", "redis");
            wait?.SetTag("actors.replicas.required", _minReplicas);
            try
            {
                acknowledged = await barrier.WaitAsync(_minReplicas, options.ReplicationTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                wait?.SetStatus(ActivityStatusCode.Error, ex.Message);
                throw StorageFailure.Unavailable($"Waiting for the replicas of {server.EndPoint} failed ({ex.Message}); the write to {key} is not acknowledged.", ex);
            }
            finally
            {
                SiloInstruments.ReplicationWait.Record(Stopwatch.GetElapsedTime(waitStarted).TotalSeconds);
            }
            wait?.SetTag("actors.replicas.acknowledged", acknowledged);
        }

        if (acknowledged < _minReplicas || barrier.Generation != generation)
        {
            SiloInstruments.ReplicationTimeouts.Add(1);
            LogReplicationTimeout(logger, key.ToString(), server.EndPoint.ToString() ?? "?", acknowledged, _minReplicas);
            throw new StorageUnavailableException(
                $"Only {acknowledged} of {_minReplicas} replicas of {server.EndPoint} confirmed the write to {key} within {options.ReplicationTimeout.TotalMilliseconds:N0} ms; it is not acknowledged.");
        }
    }

    /// <summary>
    /// False when the script found another etag and that is not a conflict (a touch after a concurrent write);
    /// throws <see cref="InconsistentStateException"/> when it is; true when the script applied.
    /// </summary>
    private static bool ThrowOnMismatch(RedisResult result, RedisKey key, string? etag, bool mismatchIsConflict)
    {
        var outcome = (long)result;
        if (outcome == -1)
        {
            throw new StaleIndexDefinitionsException();
        }

        if (outcome != 0)
        {
            return true;
        }

        return mismatchIsConflict
            ? throw new InconsistentStateException($"{key} changed since it was read (etag {etag}); the grain reloads it.", etag ?? "", "")
            : false;
    }

    /// <summary>
    /// EVALSHA, so a write sends the script's 40-byte digest instead of its text (and Redis need not hash the text);
    /// EVAL once when that server has not seen the script yet (after a restart or on a new primary).
    /// </summary>
    /// <remarks>
    /// <see cref="CommandFlags.NoRedirect"/>: the script must run on <paramref name="server"/>, whose barrier the caller
    /// waits on. While a slot moves to another shard, the server may answer MOVED or ASK, which StackExchange.Redis
    /// would otherwise follow to the other primary, so that the WAIT on this one would acknowledge a write its
    /// replicas never saw. Declined, the redirect fails the write (not acknowledged, retried by its sender), and a
    /// MOVED still updates the client's slot map, so the retry finds the key's new primary.
    /// </remarks>
    internal static async Task<RedisResult> EvaluateAsync(IServer server, string script, RedisKey[] keys, RedisValue[] arguments)
    {
        object[] tail = [keys.Length, .. keys.Cast<object>(), .. arguments.Cast<object>()];
        try
        {
            return await server.ExecuteAsync("EVALSHA", [ScriptDigests.Of(script), .. tail], CommandFlags.NoRedirect).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await server.ExecuteAsync("EVAL", [script, .. tail], CommandFlags.NoRedirect).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsLoneServerAsync()
    {
        foreach (var server in Writes.GetServers())
        {
            if (server.ServerType == ServerType.Cluster || server.IsReplica)
            {
                return false;
            }
        }

        foreach (var server in Writes.GetServers().Where(s => s.IsConnected))
        {
            var info = await server.InfoAsync("replication").ConfigureAwait(false);
            var replicas = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "connected_slaves").Value;
            if (int.TryParse(replicas, out var count) && count > 0)
            {
                return false;
            }
        }

        return true;
    }

    private ReplicationBarrier? BarrierFor(EndPoint? endpoint) => endpoint is not null && _barriers.TryGetValue(endpoint, out var barrier) ? barrier : null;

    internal ConfigurationOptions Configuration(string purpose)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        // Keep connecting in the background when Redis is down at startup or restarts; writes fail fast meanwhile.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = $"actors-{name}-{purpose}";
        // WAIT and INFO (is there a replica?) go to one chosen server, which StackExchange.Redis calls admin commands.
        configuration.AllowAdmin = true;
        // Replies are read on .NET's thread pool, where the grain's continuation runs anyway, instead of handed over
        // from StackExchange.Redis' own ten threads: ~25 % less silo CPU per XMPP write on two cores
        // (docs/performance.md). Its own pool guards apps that block pool threads on Redis; nothing here blocks.
        // Both named explicitly: the library's default has changed between its versions.
        configuration.SocketManager = options.DedicatedRedisThreads ? SocketManager.Shared : SocketManager.ThreadPool;
        return configuration;
    }

    /// <summary>
    /// False while no Redis server of this storage is connected (Redis or the whole cluster down). Commands then wait in
    /// StackExchange.Redis' backlog until it reconnects or they time out; a health probe need not wait to know.
    /// </summary>
    internal bool AnyServerConnected => _reads?.IsConnected == true;

    private ConnectionMultiplexer Reads => _reads ?? throw new InvalidOperationException("Root storage is not connected yet.");

    private ConnectionMultiplexer Writes => _writes ?? throw new InvalidOperationException("Root storage is not connected yet.");

    private static bool TryGet(HashEntry[] entries, string field, out RedisValue value)
    {
        foreach (var entry in entries)
        {
            if (entry.Name == field)
            {
                value = entry.Value;
                return true;
            }
        }

        value = RedisValue.Null;
        return false;
    }

    [LoggerMessage(1, LogLevel.Warning, "!!! Root storage {Name} is ONE Redis server without replicas: writes are acknowledged on it alone and ITS LOSS LOSES DATA. Use a Redis Cluster (docs/configuration.md) for redundancy. !!!")]
    private static partial void LogNotRedundant(ILogger logger, string name);

    [LoggerMessage(2, LogLevel.Warning, "Write to {Key} on {Primary}: {Acknowledged} of {Required} replicas confirmed in time; not acknowledged")]
    private static partial void LogReplicationTimeout(ILogger logger, string key, string primary, long acknowledged, int required);

    /// <summary>The root write script refused: this silo's index definitions are older than its partition's.</summary>
    private sealed class StaleIndexDefinitionsException() : Exception("The index definitions are stale.");
}
