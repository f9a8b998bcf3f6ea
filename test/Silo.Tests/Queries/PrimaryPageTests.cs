using Actors.Contracts;
using Actors.Silo.Documents;
using Actors.Silo.Grains;
using Actors.Silo.Queries;
using Actors.Silo.Tests.Cluster;
using Actors.TestInfrastructure.Redis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Queries;

/// <summary>
/// The page reads batched as one script per Redis primary (<see cref="NodePageReader"/>, <see cref="RootIndexStore.ReadByPrimary"/>)
/// against real servers: on one Redis every page is read that way and equals the order computed here from the
/// documents; on a Redis Cluster a partition whose slot is being moved, or has moved without the reader knowing, makes
/// its primary refuse the script, and the page goes on partition by partition — still exactly the right page.
/// </summary>
public sealed class PrimaryPageTests(RedisClassFixture fixture) : IClassFixture<RedisClassFixture>, IAsyncDisposable
{
    private const string Type = "topic";
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RootState).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>());

    private ConnectionMultiplexer? _redis;
    private ConnectionMultiplexer? _admin;
    private RedisClusterServer? _cluster;

    [Fact]
    public async Task Pages_OnOneRedis_ReadByPrimaryAndInEntryOrder()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var (store, documents) = await SeedAsync(_redis, 300);
        var engine = new QueryEngine(store);

        // Values of every JSON type, strings with the bytes the encoding escapes, numbers of both signs.
        foreach (var query in new[]
        {
            new RootQuery(Type, "v", IndexCondition.Equal("\"s1\""), Limit: 7),
            new RootQuery(Type, "v", IndexCondition.Equal("\"s1\""), Descending: true, Limit: 7, IncludeDocuments: true),
            new RootQuery(Type, "v", IndexCondition.Between("-5", "40"), Limit: 9),
            new RootQuery(Type, "v", IndexCondition.StartsWith("a\u0000"), Limit: 3),
            new RootQuery(Type, "v", null, Limit: 11),
            new RootQuery(Type, "v", null, Descending: true, Limit: 50, Filters: [new QueryFilter("/n", FilterOp.Lt, "150")]),
            new RootQuery(Type, Limit: 13),
        })
        {
            var pages = await AllPagesAsync(engine, query);
            pages.Should().Equal(Expected(documents, query), "query {0}", query);
        }
        store.PagesByPrimary.Should().BeGreaterThan(0);
        store.PagesByPartition.Should().Be(0, "one Redis serves every partition: no script is refused");
    }

    [Fact]
    public async Task Pages_SlotHalfMovedThenMovedUnseen_FallBackToPartitionsAndStayExact()
    {
        var ct = TestContext.Current.CancellationToken;
        _cluster = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        _redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        // Moves slots over its own connection, so the reader's slot map stays as it was (stale once the slot moved).
        _admin = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString + ",allowAdmin=true");
        var (store, documents) = await SeedAsync(_redis, 200);
        var engine = new QueryEngine(store);
        var query = new RootQuery(Type, "v", IndexCondition.Equal("\"s1\""), Limit: 7, IncludeDocuments: true);
        var expected = Expected(documents, query);

        (await AllPagesAsync(engine, query)).Should().Equal(expected);
        store.PagesByPartition.Should().Be(0);

        // The slot of a partition holding matching roots, moved to another primary as redis-cli --cluster reshard does.
        var id = documents.First(d => d.Value?.Contains("\"s1\"", StringComparison.Ordinal) == true).Key;
        var partition = store.Keys.PartitionOf(RootIndexStore.RootGrainId(Type, id));
        var slot = _redis.HashSlot(store.IndexKey(partition, Type, "v"));
        var source = await _cluster.PrimaryForSlotAsync(slot, ct);
        var target = (await _cluster.GetPrimariesAsync(ct)).First(p => p.Port != source.Port);
        var sourceServer = _admin.GetServer(source.Endpoint);
        var targetServer = _admin.GetServer(target.Endpoint);
        await targetServer.ExecuteAsync("CLUSTER", "SETSLOT", slot, "IMPORTING", source.NodeId!);
        await sourceServer.ExecuteAsync("CLUSTER", "SETSLOT", slot, "MIGRATING", target.NodeId!);
        var keys = ((RedisResult[])(await sourceServer.ExecuteAsync("CLUSTER", "GETKEYSINSLOT", slot, 10_000))!).Select(k => (string)k!).ToList();
        keys.Should().Contain((string)store.IndexKey(partition, Type, "v")!);

        // Half moved: the index set is on the target, the states still on the source.
        await MigrateAsync(sourceServer, target, [(string)store.IndexKey(partition, Type, "v")!]);
        var before = store.PagesByPartition;
        (await AllPagesAsync(engine, query)).Should().Equal(expected, "a primary that does not hold all of a partition refuses the script");
        store.PagesByPartition.Should().BeGreaterThan(before);

        // Moved: the reader still sends the partition to its old primary, which refuses.
        await MigrateAsync(sourceServer, target, [.. keys.Where(k => k != (string)store.IndexKey(partition, Type, "v")!)]);
        foreach (var primary in await _cluster.GetPrimariesAsync(ct))
        {
            await _admin.GetServer(primary.Endpoint).ExecuteAsync("CLUSTER", "SETSLOT", slot, "NODE", target.NodeId!);
        }
        before = store.PagesByPartition;
        var primaryPages = store.PagesByPrimary;
        (await AllPagesAsync(engine, query)).Should().Equal(expected, "the old primary refuses a partition it no longer serves");
        store.PagesByPartition.Should().BeGreaterThan(before);

        // The fallback's MOVED taught the reader the new owner: pages are read by primary again.
        before = store.PagesByPartition;
        (await AllPagesAsync(engine, query)).Should().Equal(expected);
        store.PagesByPartition.Should().Be(before);
        store.PagesByPrimary.Should().BeGreaterThan(primaryPages);
    }

    private static async Task MigrateAsync(IServer source, RedisClusterNode target, List<string> keys)
    {
        if (keys.Count > 0)
        {
            await source.ExecuteAsync("MIGRATE", ["127.0.0.1", target.Port, "", 0, 5000, "KEYS", .. keys]);
        }
    }

    /// <summary>A store with index <c>v</c> on <c>/v</c> (ready, declared on the empty type) and <paramref name="count"/> roots written with the storage's script.</summary>
    private static async Task<(RootIndexStore Store, Dictionary<string, string?> Documents)> SeedAsync(ConnectionMultiplexer redis, int count)
    {
        var store = new RootIndexStore($"s-primary-{Guid.NewGuid():N}", 64, Serializer) { ReadByPrimary = true };
        store.Attach(redis, redis, static (_, writes) => writes());
        var generation = Guid.NewGuid().ToString("N");
        var definition = new IndexDefinition("/v", false, generation);
        var (_, epoch) = await store.DeclareAsync(Type, "v", definition);
        await Task.WhenAll(Enumerable.Range(0, store.Partitions).Select(p => store.ResetPartitionAsync(p, Type, "v", epoch)));
        (await store.SaveCursorAsync(Type, "v", generation, definition with { Ready = true, Partition = store.Partitions })).Should().BeTrue();
        var indexes = await store.LoadAsync(Type);

        var documents = new Dictionary<string, string?>();
        var db = redis.GetDatabase();
        for (var i = 0; i < count; i++)
        {
            var id = $"r{i:D4}";
            var value = (i % 6) switch
            {
                0 => "\"s1\"",
                1 => "\"s2\"",
                2 => (i - 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
                3 => i % 4 == 1 ? "true" : "false",
                4 => $"\"a\\u0000{i % 5}\\u0001\"",
                _ => "\"s1\"",
            };
            var json = $$"""{"v":{{value}},"n":{{i}}}""";
            var state = new RootState { Document = json, Version = 1 };
            var (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, id), state, indexes, "", Guid.NewGuid().ToString("N"), Serializer.Serialize(state).ToArray());
            ((long)await db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments)).Should().Be(1);
            documents[id] = json;
        }
        return (store, documents);
    }

    private static async Task<List<string>> AllPagesAsync(QueryEngine engine, RootQuery query)
    {
        var roots = new List<string>();
        var page = await engine.QueryAsync(query);
        for (var pages = 0; ; pages++)
        {
            page.Error.Should().BeNull();
            pages.Should().BeLessThan(1000);
            roots.AddRange(page.Items.Select(i => query.IncludeDocuments ? $"{i.Root}={i.Document}" : i.Root));
            if (page.Next is null)
            {
                return roots;
            }
            page = await engine.QueryAsync(query with { After = page.Next });
        }
    }

    /// <summary>The query's answer computed from the documents: entries in the condition's range, in byte order.</summary>
    private static List<string> Expected(Dictionary<string, string?> documents, RootQuery query)
    {
        QueryEngine.Validate(query, out var range, out var filters).Should().BeNull();
        var matches = new List<(byte[] Entry, string Id)>();
        foreach (var (id, json) in documents)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json!);
            if (!filters.TrueForAll(f => f.Matches(document.RootElement)))
            {
                continue;
            }
            if (query.Index is null)
            {
                matches.Add((System.Text.Encoding.ASCII.GetBytes(id), id));
                continue;
            }
            JsonPointer.TryParse("/v", out var pointer, out _).Should().BeTrue();
            if (RootIndexStore.EntryOf(document.RootElement, pointer!, id) is { } entry && range.Contains(entry))
            {
                matches.Add((entry, id));
            }
        }
        matches.Sort((a, b) => query.Descending ? IndexValue.Compare(b.Entry, a.Entry) : IndexValue.Compare(a.Entry, b.Entry));
        return [.. matches.Select(m => query.IncludeDocuments ? $"{Type}/{m.Id}={documents[m.Id]}" : $"{Type}/{m.Id}")];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in new[] { _admin, _redis })
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
