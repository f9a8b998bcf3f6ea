using System.Text.Json;
using Actors.Silo.Grains;
using Actors.Silo.Queries;
using Actors.Silo.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Queries;

/// <summary>
/// The index store against a real Redis, step by step: a build stopped between any two of its Redis changes (a step
/// that throws, as a crash would) with writes landing between every two steps — including writes from a silo whose
/// definitions are stale — resumes from its saved cursor and ends with the index equal to a scan.
/// </summary>
public sealed class IndexBuildFaultTests(RedisClassFixture fixture) : IClassFixture<RedisClassFixture>, IAsyncDisposable
{
    private const string Type = "topic";
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RootState).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>());

    private ConnectionMultiplexer? _redis;

    // A batch is at most three steps (reset, read, applied), so crashing every 4th step or less often lets the build progress.
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    public async Task Build_CrashEveryNthStepWithWritesBetweenSteps_IndexEqualsScan(int crashEvery)
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var store = new RootIndexStore($"s-fault-{Guid.NewGuid():N}", 64, Serializer);
        store.Attach(_redis, _redis, static (_, writes) => writes());
        var documents = new Dictionary<string, string?>();
        var random = new Random(crashEvery);
        string? Doc(int i) => random.Next(8) switch
        {
            0 => null,
            1 => $$"""{"n":{{i}}}""",
            2 => $$"""{"status":{{i}}}""",
            _ => $$"""{"status":"{{(random.Next(2) == 0 ? "open" : "closed")}}"}""",
        };

        var before = await store.LoadAsync(Type);
        for (var i = 0; i < 300; i++)
        {
            await WriteAsync(store, before, $"r{i:D4}", $$"""{"status":"s{{i % 5}}"}""", documents);
        }

        var generation = Guid.NewGuid().ToString("N");
        var (existing, epoch) = await store.DeclareAsync(Type, "status", new IndexDefinition("/status", false, generation));
        existing.Should().BeNull();
        await Task.WhenAll(Enumerable.Range(0, store.Partitions).Select(p => store.ResetPartitionAsync(p, Type, "status", epoch)));

        // A silo that loaded the definitions before the declaration writes: refused, it reloads, then indexes.
        var stale = before;
        var reloads = 0;
        for (var i = 0; i < 20; i++)
        {
            (stale, var r) = await WriteAsync(store, stale, $"r{random.Next(320):D4}", Doc(i), documents);
            reloads += r;
        }
        reloads.Should().BePositive("a write with definitions older than its partition's is refused and reloads them");
        stale.Definitions.Should().ContainKey("status");

        var steps = 0;
        var crashes = 0;
        var writer = stale;
        store.StepHook = async step =>
        {
            for (var w = 0; w < 3; w++)
            {
                (writer, _) = await WriteAsync(store, writer, $"r{random.Next(340):D4}", Doc(w), documents);
            }
            if (++steps % crashEvery == 0)
            {
                crashes++;
                throw new SimulatedCrash(step);
            }
        };

        for (var rounds = 0; ; rounds++)
        {
            rounds.Should().BeLessThan(10_000);
            var indexes = await store.LoadAsync(Type);
            var definition = indexes.Definitions["status"];
            if (definition.Ready)
            {
                break;
            }
            try
            {
                // What IndexBuilder does per step; a crash loses everything not yet saved, and the next round resumes.
                var next = await store.BuildBatchAsync(Type, "status", indexes, definition, batchSize: 16);
                (await store.SaveCursorAsync(Type, "status", definition.Generation, next)).Should().BeTrue();
            }
            catch (SimulatedCrash)
            {
            }
        }
        store.StepHook = null;
        crashes.Should().BePositive();

        var expected = documents.Where(d => d.Value is not null).Select(d =>
        {
            using var document = JsonDocument.Parse(d.Value!);
            return document.RootElement.TryGetProperty("status", out var value) && IndexValue.Encode(value) is { } encoded ? IndexValue.Entry(encoded, d.Key) : null;
        }).OfType<byte[]>().Select(Convert.ToHexString).Order(StringComparer.Ordinal).ToList();
        var actual = new List<string>();
        var db = _redis.GetDatabase();
        for (var p = 0; p < store.Partitions; p++)
        {
            actual.AddRange((await db.SortedSetRangeByRankAsync(store.IndexKey(p, Type, "status"))).Select(e => Convert.ToHexString((byte[])e!)));
        }
        actual.Order(StringComparer.Ordinal).Should().Equal(expected, "{0} crashes, every Nth = {1}", crashes, crashEvery);
        var listed = new List<string>();
        for (var p = 0; p < store.Partitions; p++)
        {
            listed.AddRange((await db.SortedSetRangeByRankAsync(store.TypeSetKey(p, Type))).Select(e => e.ToString()));
        }
        listed.Order(StringComparer.Ordinal).Should().Equal(documents.Where(d => d.Value is not null).Select(d => d.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// One root write exactly as the storage runs it (the same script and arguments), with the writer's cached
    /// definitions; reloads them when refused as stale. Returns the definitions it ended with and how often it reloaded.
    /// </summary>
    private async Task<(TypeIndexes, int)> WriteAsync(RootIndexStore store, TypeIndexes indexes, string id, string? json, Dictionary<string, string?> documents)
    {
        var db = _redis!.GetDatabase();
        var key = store.StateKey(Type, id);
        var current = await db.HashGetAsync(key, ["etag", "data"]);
        var previous = current[1].IsNull ? null : Serializer.Deserialize<RootState>(new BinaryData((byte[])current[1]!));
        if (json is null && previous?.Document is null)
        {
            return (indexes, 0);
        }
        var state = new RootState { Document = json, Version = (previous?.Version ?? 0) + 1 };
        var data = Serializer.Serialize(state).ToArray();
        var reloads = 0;
        while (true)
        {
            var (keys, arguments) = store.RootWrite(RootIndexStore.RootGrainId(Type, id), state, indexes, current[0].IsNull ? "" : current[0].ToString(), Guid.NewGuid().ToString("N"), data);
            var result = (long)await db.ScriptEvaluateAsync(RootIndexStore.RootWriteScript, keys, arguments);
            if (result == 1)
            {
                documents[id] = json;
                return (indexes, reloads);
            }
            result.Should().Be(-1, "only this test writes {0}", id);
            indexes = await store.LoadAsync(Type);
            reloads++;
        }
    }

    private sealed class SimulatedCrash(string step) : Exception($"crash after {step}");

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
