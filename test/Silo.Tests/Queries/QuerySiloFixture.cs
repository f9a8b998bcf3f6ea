using Actors.Contracts;
using Actors.Silo.Tests.Cluster;
using Actors.TestInfrastructure.Orleans;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Queries;

/// <summary>
/// One real redis-server and one silo process on it, shared by the query tests of a class; each test uses its own
/// root types, so they never see each other's roots or indexes.
/// </summary>
public sealed class QuerySiloFixture : IAsyncLifetime
{
    private ClusterTestScope? _scope;

    public RedisServer Redis { get; private set; } = null!;

    public ActorsTestClient Client { get; private set; } = null!;

    public ClusterTestScope Scope => _scope!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        _scope = new ClusterTestScope(Redis.ConnectionString, "queries");
        await _scope.StartSiloAsync("queries", ct);
        Client = await _scope.StartClientAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}

/// <summary>Writing roots and reading queries in tests.</summary>
internal static class QueryTestExtensions
{
    private static int _types;

    /// <summary>A root type no other test uses.</summary>
    public static string NewType(string label) => $"{label}-{Interlocked.Increment(ref _types)}-{Guid.NewGuid().ToString("N")[..6]}";

    public static async Task PutAsync(this IGrainFactory grains, string type, string id, string json)
    {
        var result = await grains.GetRoot(RootId.Create(type, id)).WriteAsync(WriteCommand.Put(Guid.NewGuid().ToString("N"), json));
        result.Error.Should().BeNull();
    }

    public static async Task DeleteAsync(this IGrainFactory grains, string type, string id)
    {
        var result = await grains.GetRoot(RootId.Create(type, id)).WriteAsync(WriteCommand.Delete(Guid.NewGuid().ToString("N")));
        result.Error.Should().BeNull();
    }

    /// <summary>Writes many roots, <paramref name="parallel"/> at a time.</summary>
    public static Task PutManyAsync(this IGrainFactory grains, string type, int count, Func<int, string> json, int parallel = 64) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => await grains.PutAsync(type, Id(i), json(i)));

    public static string Id(int i) => $"r{i:D6}";

    /// <summary>Every item of the query, page after page; fails on a refused page.</summary>
    public static async Task<List<QueryItem>> AllAsync(this IGrainFactory grains, RootQuery query)
    {
        var items = new List<QueryItem>();
        await foreach (var item in grains.QueryAsync(query, TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }
        return items;
    }

    public static async Task<IndexInfo> DeclareReadyAsync(this IGrainFactory grains, string type, string name, string pointer)
    {
        var declared = await grains.GetIndex(type, name).DeclareAsync(pointer);
        declared.Error.Should().BeNull();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var index = await grains.GetIndex(type, name).GetAsync();
            index.Error.Should().BeNull();
            if (index.Index!.State == IndexState.Ready)
            {
                return index.Index;
            }
            DateTime.UtcNow.Should().BeBefore(deadline, "index {0}/{1} should be built", type, name);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
