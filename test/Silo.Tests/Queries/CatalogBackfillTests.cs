using System.Diagnostics;
using System.Text.Json;
using Actors.Contracts;
using Actors.Silo.Grains;
using Actors.Silo.Queries;
using Actors.Silo.Tests.Cluster;
using Actors.TestInfrastructure.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Queries;

/// <summary>
/// The catalog backfill (docs/queries.md, Catalog backfill) against real Redis: roots written the way the storage wrote
/// them before queries existed — a partitioned hash of <c>etag</c> and <c>data</c> without <c>v</c>, or Orleans' provider's
/// pre-partition key — are listed and indexed exactly once with their version after it ran, also when writes, deletes,
/// a declaration and crashes land between its steps; and on a Redis Cluster it scans every primary.
/// </summary>
public sealed class CatalogBackfillTests(RedisClassFixture fixture) : IClassFixture<RedisClassFixture>, IAsyncDisposable
{
    private const string Type = "topic";
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RootState).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>());

    private ConnectionMultiplexer? _redis;
    private RedisClusterServer? _cluster;

    [Fact]
    public async Task Backfill_OldRootsBothLayouts_ListedAndIndexedOnceWithTheirVersions()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var (store, serviceId) = NewStore(_redis, "old");
        await DeclareReadyAsync(store, "status", "/status");
        var model = await SeedAsync(store, serviceId, _redis.GetDatabase(), 400);

        // Before: only the roots written since queries exist are listed.
        var engine = new QueryEngine(store);
        (await AllAsync(engine, new RootQuery(Type, Limit: 1000))).Should().HaveCount(model.Count(m => m.Key[0] is 'n' or 'm' && m.Value.Json is not null));

        // Another silo holds the lease: this one leaves the work to it.
        var db = _redis.GetDatabase();
        await db.StringSetAsync(store.BackfillLeaseKey, "other-silo");
        (await new CatalogBackfill(store, 100, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("this-silo", TestContext.Current.CancellationToken)).Should().BeNull();
        await db.KeyDeleteAsync(store.BackfillLeaseKey);

        var totals = await new CatalogBackfill(store, 100, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("this-silo", TestContext.Current.CancellationToken);
        totals.Should().NotBeNull();
        totals!.Value.Backfilled.Should().Be(model.Count(m => m.Key.StartsWith('o') && m.Value.Json is not null));
        totals.Value.Copied.Should().Be(model.Count(m => m.Key.StartsWith('l') && m.Value.Json is not null));
        totals.Value.Deleted.Should().BePositive();
        (await store.BackfillIsDoneAsync()).Should().BeTrue();
        (await new CatalogBackfill(store, 100, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("later-silo", TestContext.Current.CancellationToken))
            .Should().BeNull("a finished backfill is not run again");

        await AssertListedAndIndexedAsync(store, model, "status");
        (await db.KeyExistsAsync(LegacyKey(serviceId, "l0001"))).Should().BeTrue("old keys stay; the storage never reads one once the new key exists");
    }

    // Every apply or read of the backfill is a step; a crash on every Nth loses what was not saved yet.
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Backfill_WritesDeclareAndCrashesBetweenSteps_ResumesAndIndexEqualsScan(int crashEvery)
    {
        var ct = TestContext.Current.CancellationToken;
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = _redis.GetDatabase();
        var (store, serviceId) = NewStore(_redis, "crash");
        await DeclareReadyAsync(store, "status", "/status");
        var model = await SeedAsync(store, serviceId, db, 600);
        var ids = model.Keys.ToArray();
        var random = new Random(crashEvery);
        string? Doc(int i) => random.Next(6) switch
        {
            0 => null,
            1 => $$"""{"n":{{i}}}""",
            _ => $$"""{"status":"{{(random.Next(2) == 0 ? "open" : "closed")}}","n":{{i}}}""",
        };

        var steps = 0;
        var crashes = 0;
        var written = 0;
        var declared = false;
        var writer = await store.LoadAsync(Type);
        store.StepHook = async step =>
        {
            for (var w = 0; w < 3; w++)
            {
                var id = random.Next(10) == 0 ? $"f{random.Next(100):D4}" : ids[random.Next(ids.Length)];
                writer = await WriteAsync(store, serviceId, writer, id, Doc(w), model);
                written++;
            }
            if (++steps == 7)
            {
                // A declaration mid-way: the backfill's definitions go stale and its scripts are refused until it reloads.
                var generation = Guid.NewGuid().ToString("N");
                var (_, epoch) = await store.DeclareAsync(Type, "n", new IndexDefinition("/n", false, generation));
                await Task.WhenAll(Enumerable.Range(0, store.Partitions).Select(p => store.ResetPartitionAsync(p, Type, "n", epoch)));
                declared = true;
            }
            if (steps % crashEvery == 0)
            {
                crashes++;
                throw new SimulatedCrash(step);
            }
        };

        BackfillCounts? totals = null;
        for (var attempt = 0; totals is null; attempt++)
        {
            attempt.Should().BeLessThan(10_000);
            try
            {
                totals = await new CatalogBackfill(store, 40, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync($"silo-{attempt}", ct);
                (totals is not null || await store.BackfillIsDoneAsync()).Should().BeTrue();
            }
            catch (SimulatedCrash)
            {
                // The crashed silo's lease runs out; the next silo resumes from the saved cursors.
                await db.KeyDeleteAsync(store.BackfillLeaseKey);
            }
        }
        store.StepHook = null;
        crashes.Should().BePositive();
        declared.Should().BeTrue();

        // The index declared mid-way is built as usual, over the type sets the backfill completed.
        for (var rounds = 0; ; rounds++)
        {
            rounds.Should().BeLessThan(10_000);
            var indexes = await store.LoadAsync(Type);
            var definition = indexes.Definitions["n"];
            if (definition.Ready)
            {
                break;
            }
            var next = await store.BuildBatchAsync(Type, "n", indexes, definition, batchSize: 64);
            (await store.SaveCursorAsync(Type, "n", definition.Generation, next)).Should().BeTrue();
        }

        await AssertListedAndIndexedAsync(store, model, "status");
        await AssertListedAndIndexedAsync(store, model, "n");
        TestContext.Current.TestOutputHelper?.WriteLine($"{crashes} crashes (one every {crashEvery} steps), {written} concurrent writes, totals {totals}");
    }

    [Fact]
    public async Task LegacyRoot_ReadBeforeTheCopy_ItsGrainStillWritesAfterIt()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = _redis.GetDatabase();
        var (store, serviceId) = NewStore(_redis, "etag");
        await DeclareReadyAsync(store, "status", "/status");
        await db.HashSetAsync(LegacyKey(serviceId, "l1"), [new("etag", "old-etag"), new("data", Data("""{"status":"open"}""", 4))]);
        await db.HashSetAsync(LegacyKey(serviceId, "l2"), [new("etag", "old-etag-2"), new("data", Data("""{"status":"open"}""", 2))]);

        (await new CatalogBackfill(store, 100, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("silo", TestContext.Current.CancellationToken))!.Value.Copied.Should().Be(2);
        (await db.HashGetAsync(store.StateKey(Type, "l1"), "etag")).ToString().Should().Be("old-etag", "the copy keeps the old etag");

        // The grain of l1 read the old key before the copy (etag "legacy:old-etag", as the storage hands it out).
        var indexes = await store.LoadAsync(Type);
        var state = new RootState { Document = """{"status":"closed"}""", Version = 5 };
        var (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, "l1"), state, indexes, "legacy:old-etag", "new-etag", Serializer.Serialize(state).ToArray());
        ((long)await db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments)).Should().Be(1, "the new key is the copy of the state the grain read");
        // A grain whose old etag is not the copy's is refused (it reloads).
        (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, "l2"), state, indexes, "legacy:another-etag", "new-etag", Serializer.Serialize(state).ToArray());
        ((long)await db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments)).Should().Be(0);

        var engine = new QueryEngine(store);
        (await AllAsync(engine, new RootQuery(Type, "status", IndexCondition.Equal("\"closed\""), Limit: 10))).Select(i => (i.Root, i.Version))
            .Should().Equal(($"{Type}/l1", 5L));
        (await AllAsync(engine, new RootQuery(Type, "status", IndexCondition.Equal("\"open\""), Limit: 10))).Select(i => (i.Root, i.Version))
            .Should().Equal(($"{Type}/l2", 2L));
    }

    [Fact]
    public async Task Backfill_LegacyReadsOff_LeavesOldKeysAlone()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = _redis.GetDatabase();
        var (store, serviceId) = NewStore(_redis, "nolegacy");
        await db.HashSetAsync(LegacyKey(serviceId, "l1"), [new("etag", "old"), new("data", Data("""{"status":"open"}""", 1))]);
        await db.HashSetAsync(store.StateKey(Type, "o1"), [new("etag", "o"), new("data", Data("""{"status":"open"}""", 3))]);

        var totals = await new CatalogBackfill(store, 100, TimeSpan.FromSeconds(30), NullLogger.Instance, copyLegacy: false).RunAsync("silo", TestContext.Current.CancellationToken);
        totals!.Value.Copied.Should().Be(0, "a storage that does not read old keys treats those roots as gone");
        (await AllAsync(new QueryEngine(store), new RootQuery(Type))).Select(i => (i.Root, i.Version)).Should().Equal(($"{Type}/o1", 3L));
    }

    [Fact]
    public async Task Backfill_OnRedisCluster_ScansEveryPrimary()
    {
        var ct = TestContext.Current.CancellationToken;
        _cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        _redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        var (store, serviceId) = NewStore(_redis, "cluster");
        await DeclareReadyAsync(store, "status", "/status");
        var model = await SeedAsync(store, serviceId, _redis.GetDatabase(), 300);
        store.Primaries().Should().HaveCount((await _cluster.GetPrimariesAsync(ct)).Count).And.HaveCountGreaterThan(1);

        var totals = await new CatalogBackfill(store, 50, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("silo", ct);
        totals!.Value.Backfilled.Should().Be(model.Count(m => m.Key.StartsWith('o') && m.Value.Json is not null));
        totals.Value.Copied.Should().Be(model.Count(m => m.Key.StartsWith('l') && m.Value.Json is not null));
        await AssertListedAndIndexedAsync(store, model, "status");
    }

    /// <summary>
    /// End to end on a Redis Cluster with replicas: a silo's keeper runs the backfill (each page waiting for its
    /// partitions' replicas) while clients write, delete and declare an index; afterwards the list and the raw index
    /// equal a scan, and roots nobody wrote keep their old versions.
    /// </summary>
    [Fact]
    public async Task Backfill_SiloOnRedisClusterUnderWrites_ListAndIndexEqualScan()
    {
        var ct = TestContext.Current.CancellationToken;
        _cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        _redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        await using var scope = new ClusterTestScope(_cluster.ConnectionString, "backfill-cluster");
        var serviceId = scope.Cluster.ServiceId;
        var keys = new RootIndexStore(serviceId, 64, Serializer);
        var type = QueryTestExtensions.NewType("backfill");
        var db = _redis.GetDatabase();
        const int roots = 1500;
        var seeded = new Dictionary<string, (string? Json, long Version)>();
        for (var i = 0; i < roots; i++)
        {
            var id = QueryTestExtensions.Id(i);
            string? json = i % 9 == 0 ? null : $$"""{"status":"{{(i % 3 == 0 ? "open" : "closed")}}","n":{{i}}}""";
            seeded[id] = (json, 1 + (i % 4));
            var key = i % 4 == 0 ? (RedisKey)$"{serviceId}/state/root/{type}/{id}/root" : keys.Keys.StateKey("root", RootIndexStore.RootGrainId(type, id));
            await db.HashSetAsync(key, [new("etag", Guid.NewGuid().ToString("N")), new("data", Data(json, 1 + (i % 4)))]);
        }

        await scope.StartSiloAsync(scope.SiloOptions("backfill-cluster") with
        {
            Environment = new Dictionary<string, string?> { ["Actors__Queries__BuildKeeperInterval"] = "00:00:00.2", ["Actors__Queries__BackfillBatchSize"] = "50" },
        }, ct);
        var grains = (await scope.StartClientAsync(ct)).Client;
        var documents = seeded.ToDictionary(s => s.Key, s => s.Value.Json);
        Dictionary<string, string?> final;
        await using (var churn = new WriteChurn(grains, type, workers: 4, random =>
        {
            var i = random.Next(roots + 100);
            return random.Next(6) == 0
                ? (QueryTestExtensions.Id(i), null)
                : (QueryTestExtensions.Id(i), $$"""{"status":"{{(random.Next(2) == 0 ? "open" : "closed")}}","n":{{i}}}""");
        }))
        {
            await grains.DeclareReadyAsync(type, "status", "/status");
            await Eventually.SucceedsAsync("the backfill done", async () => (string?)await db.HashGetAsync(keys.BackfillKey, "state"), s => s == "done", TimeSpan.FromSeconds(60), ct);
            await churn.DisposeAsync();
            final = new Dictionary<string, string?>(churn.Final);
            var progress = (await db.HashGetAllAsync(keys.BackfillKey)).Where(e => !e.Name.StartsWith("cursor")).Select(e => $"{e.Name}={e.Value}");
            TestContext.Current.TestOutputHelper?.WriteLine($"{churn.Writes} writes during the backfill; progress {string.Join(", ", progress)}");
        }
        foreach (var (id, json) in final)
        {
            documents[id] = json;
        }

        await QueryScaleTests.AssertIndexEqualsScanAsync(serviceId, _cluster.ConnectionString, grains, type, "status", documents);
        var untouched = seeded.Where(s => s.Value.Json is not null && !final.ContainsKey(s.Key)).Select(s => ($"{type}/{s.Key}", s.Value.Version)).ToList();
        untouched.Should().NotBeEmpty();
        (await grains.AllAsync(new RootQuery(type, Limit: 1000))).Select(i => (i.Root, i.Version)).Where(untouched.Contains)
            .Should().Equal(untouched, "roots nobody wrote are listed with their old versions");
    }

    // The rate over 20,000 old roots on one Redis (docs/queries.md quotes it).
    [Fact]
    public async Task Backfill_20000OldRoots_Rate()
    {
        const int count = 20_000;
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = _redis.GetDatabase();
        var (store, serviceId) = NewStore(_redis, "rate");
        await DeclareReadyAsync(store, "status", "/status");
        var model = new Dictionary<string, (string? Json, long Version)>();
        var batch = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var id = $"o{i:D6}";
            var json = $$"""{"status":"{{(i % 3 == 0 ? "open" : "closed")}}","n":{{i}}}""";
            model[id] = (json, 1 + (i % 7));
            batch.Add(db.HashSetAsync(i % 4 == 0 ? LegacyKey(serviceId, id) : store.StateKey(Type, id),
                [new("etag", Guid.NewGuid().ToString("N")), new("data", Data(json, 1 + (i % 7)))]));
            if (batch.Count == 1000)
            {
                await Task.WhenAll(batch);
                batch.Clear();
            }
        }
        await Task.WhenAll(batch);

        var clock = Stopwatch.StartNew();
        var totals = await new CatalogBackfill(store, 500, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("silo", TestContext.Current.CancellationToken);
        clock.Stop();
        (totals!.Value.Backfilled + totals.Value.Copied).Should().Be(count);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"catalog backfill: {count} roots ({totals.Value.Copied} from the old layout) in {clock.Elapsed.TotalSeconds:0.00} s = {count / clock.Elapsed.TotalSeconds:0} roots/s (one index)");
        await AssertListedAndIndexedAsync(store, model, "status");

        // What a store with nothing to backfill pays once: every root state (and old key) is only looked at.
        await db.KeyDeleteAsync(store.BackfillKey);
        clock.Restart();
        var again = await new CatalogBackfill(store, 500, TimeSpan.FromSeconds(30), NullLogger.Instance).RunAsync("silo", TestContext.Current.CancellationToken);
        clock.Stop();
        (again!.Value.Backfilled + again.Value.Copied).Should().Be(0);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"catalog backfill with nothing to do: {again.Value.Examined} keys examined in {clock.Elapsed.TotalSeconds:0.00} s = {again.Value.Examined / clock.Elapsed.TotalSeconds:0} keys/s");
    }

    private static (RootIndexStore Store, string ServiceId) NewStore(ConnectionMultiplexer redis, string label)
    {
        var serviceId = $"s-backfill-{label}-{Guid.NewGuid():N}";
        var store = new RootIndexStore(serviceId, 64, Serializer);
        store.Attach(redis, redis, static (_, writes) => writes());
        return (store, serviceId);
    }

    /// <summary>Index <paramref name="name"/> declared while the type set is empty: ready at once, as the index grain does it.</summary>
    private static async Task DeclareReadyAsync(RootIndexStore store, string name, string pointer)
    {
        var generation = Guid.NewGuid().ToString("N");
        var definition = new IndexDefinition(pointer, false, generation);
        var (_, epoch) = await store.DeclareAsync(Type, name, definition);
        await Task.WhenAll(Enumerable.Range(0, store.Partitions).Select(p => store.ResetPartitionAsync(p, Type, name, epoch)));
        (await store.SaveCursorAsync(Type, name, generation, definition with { Ready = true, Partition = store.Partitions })).Should().BeTrue();
    }

    /// <summary>Orleans' Redis provider's key of a root state: <c>&lt;service&gt;/state/&lt;grain id&gt;/&lt;state name&gt;</c>.</summary>
    private static string LegacyKey(string serviceId, string id) => $"{serviceId}/state/root/{Type}/{id}/root";

    private static byte[] Data(string? json, long version) => Serializer.Serialize(new RootState { Document = json, Version = version }).ToArray();

    /// <summary>
    /// Roots of every kind, by id prefix: <c>o</c> partitioned without <c>v</c> (before queries), <c>l</c> pre-partition
    /// only, <c>m</c> pre-partition but moved already (the new key holds a newer state), <c>n</c> written with queries;
    /// every 9th is deleted (a tombstone).
    /// </summary>
    private static async Task<Dictionary<string, (string? Json, long Version)>> SeedAsync(RootIndexStore store, string serviceId, IDatabase db, int count)
    {
        var model = new Dictionary<string, (string? Json, long Version)>();
        var indexes = await store.LoadAsync(Type);
        for (var i = 0; i < count; i++)
        {
            var kind = "olmn"[i % 4];
            var id = $"{kind}{i:D4}";
            string? json = i % 9 == 0 ? null : $$"""{"status":"{{(i % 3 == 0 ? "open" : "closed")}}","n":{{i}}}""";
            var version = 1 + (i % 5);
            HashEntry[] old = [new("etag", Guid.NewGuid().ToString("N")), new("data", Data(json, version))];
            switch (kind)
            {
                case 'o':
                    await db.HashSetAsync(store.StateKey(Type, id), old);
                    break;
                case 'l':
                    await db.HashSetAsync(LegacyKey(serviceId, id), old);
                    break;
                case 'm':
                    // The old key holds a stale, live state; the moved one is the truth (even deleted).
                    await db.HashSetAsync(LegacyKey(serviceId, id), [new("etag", "stale"), new("data", Data("""{"status":"stale"}""", 1))]);
                    await WriteNewAsync(store, indexes, db, id, json, version + 1);
                    version++;
                    break;
                default:
                    await WriteNewAsync(store, indexes, db, id, json, version);
                    break;
            }
            model[id] = (json, version);
        }
        return model;
    }

    private static async Task WriteNewAsync(RootIndexStore store, TypeIndexes indexes, IDatabase db, string id, string? json, long version)
    {
        var state = new RootState { Document = json, Version = version };
        var (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, id), state, indexes, "", Guid.NewGuid().ToString("N"), Serializer.Serialize(state).ToArray());
        ((long)await db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments)).Should().Be(1);
    }

    /// <summary>
    /// One root write as a grain makes it: read the new key, else the old one (etag <c>legacy:…</c>, as the storage hands
    /// it out), then the storage's script with the writer's definitions, reloading them when refused as stale.
    /// </summary>
    private async Task<TypeIndexes> WriteAsync(RootIndexStore store, string serviceId, TypeIndexes indexes, string id, string? json, Dictionary<string, (string? Json, long Version)> model)
    {
        var db = _redis!.GetDatabase();
        var current = await db.HashGetAsync(store.StateKey(Type, id), ["etag", "data"]);
        var expected = current[0].IsNull ? "" : current[0].ToString();
        if (current[0].IsNull)
        {
            var legacy = await db.HashGetAsync(LegacyKey(serviceId, id), ["etag", "data"]);
            if (!legacy[0].IsNull)
            {
                (current, expected) = (legacy, "legacy:" + legacy[0]);
            }
        }
        var previous = current[1].IsNull ? null : Serializer.Deserialize<RootState>(new BinaryData((byte[])current[1]!));
        if (json is null && previous?.Document is null)
        {
            return indexes;
        }
        var state = new RootState { Document = json, Version = (previous?.Version ?? 0) + 1 };
        var data = Serializer.Serialize(state).ToArray();
        while (true)
        {
            var (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, id), state, indexes, expected, Guid.NewGuid().ToString("N"), data);
            var result = (long)await db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments);
            if (result == 1)
            {
                model[id] = (json, state.Version);
                return indexes;
            }
            result.Should().Be(-1, "only this test writes {0}", id);
            indexes = await store.LoadAsync(Type);
        }
    }

    /// <summary>
    /// Every live root is listed exactly once with its version; the raw index holds exactly one entry per live root with
    /// a value at the index's member (a query would hide a stale one); the index query and <c>eq "open"</c> agree.
    /// </summary>
    private async Task AssertListedAndIndexedAsync(RootIndexStore store, Dictionary<string, (string? Json, long Version)> model, string index)
    {
        var engine = new QueryEngine(store);
        var live = model.Where(m => m.Value.Json is not null).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => ($"{Type}/{m.Key}", m.Value.Version)).ToList();
        (await AllAsync(engine, new RootQuery(Type, Limit: 1000))).Select(i => (i.Root, i.Version)).Should().Equal(live, "every live root is listed once, with its version");

        var expected = new List<byte[]>();
        foreach (var (id, (json, _)) in model)
        {
            if (json is null)
            {
                continue;
            }
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty(index, out var value) && IndexValue.Encode(value) is { } encoded)
            {
                expected.Add(IndexValue.Entry(encoded, id));
            }
        }
        expected.Sort((a, b) => IndexValue.Compare(a, b));
        var db = _redis!.GetDatabase();
        var actual = new List<byte[]>();
        for (var p = 0; p < store.Partitions; p++)
        {
            actual.AddRange((await db.SortedSetRangeByRankAsync(store.IndexKey(p, Type, index))).Select(e => (byte[])e!));
        }
        actual.Sort((a, b) => IndexValue.Compare(a, b));
        actual.Select(Convert.ToHexString).Should().Equal(expected.Select(Convert.ToHexString), "the raw index {0} equals a scan of the documents", index);

        (await AllAsync(engine, new RootQuery(Type, index, Limit: 1000))).Select(i => i.Root)
            .Should().Equal(expected.Select(e => $"{Type}/{IndexValue.IdOf(e)}"));
        if (index == "status")
        {
            (await AllAsync(engine, new RootQuery(Type, index, IndexCondition.Equal("\"open\""), Limit: 1000))).Select(i => (i.Root, i.Version))
                .Should().Equal(live.Where(l => model[l.Item1[(Type.Length + 1)..]].Json!.Contains("\"open\"", StringComparison.Ordinal)));
        }
    }

    private static async Task<List<QueryItem>> AllAsync(QueryEngine engine, RootQuery query)
    {
        var items = new List<QueryItem>();
        var page = await engine.QueryAsync(query);
        for (var pages = 0; ; pages++)
        {
            page.Error.Should().BeNull();
            pages.Should().BeLessThan(1000);
            items.AddRange(page.Items);
            if (page.Next is null)
            {
                return items;
            }
            page = await engine.QueryAsync(query with { After = page.Next });
        }
    }

    private sealed class SimulatedCrash(string step) : Exception($"crash after {step}");

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
