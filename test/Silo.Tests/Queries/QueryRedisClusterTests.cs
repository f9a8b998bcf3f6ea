using Actors.Contracts;
using Actors.Silo.Tests.Cluster;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Queries;

/// <summary>
/// Queries on a real Redis Cluster (3 primaries × 1 replica): the partitions' entries live on every shard, each next to
/// its roots, and one page merges them all; a build over existing roots under writes equals a full scan.
/// </summary>
public sealed class QueryRedisClusterTests : IAsyncDisposable
{
    private RedisClusterServer? _redis;
    private ClusterTestScope? _scope;

    [Fact]
    public async Task ListIndexAndBuild_OnRedisCluster_EqualToScanAcrossShards()
    {
        var ct = TestContext.Current.CancellationToken;
        _redis = await RedisClusterServer.StartNewAsync(cancellationToken: ct);
        _scope = new ClusterTestScope(_redis.ConnectionString, "query-cluster");
        await _scope.StartSiloAsync("query-cluster", ct);
        var grains = (await _scope.StartClientAsync(ct)).Client;
        var type = QueryTestExtensions.NewType("shards");
        const int roots = 2000;
        var documents = new Dictionary<string, string?>();
        for (var i = 0; i < roots; i++)
        {
            documents[QueryTestExtensions.Id(i)] = $$"""{"status":"{{(i % 3 == 0 ? "open" : "closed")}}","n":{{i}}}""";
        }
        await grains.PutManyAsync(type, roots, i => documents[QueryTestExtensions.Id(i)]!);

        var primaries = await _redis.GetPrimariesAsync(ct);
        primaries.Should().HaveCountGreaterThan(1);

        await using (var churn = new WriteChurn(grains, type, workers: 4, random =>
        {
            var i = random.Next(roots + 200);
            return random.Next(6) == 0
                ? (QueryTestExtensions.Id(i), null)
                : (QueryTestExtensions.Id(i), $$"""{"status":"{{(random.Next(2) == 0 ? "open" : "closed")}}","n":{{i}}}""");
        }))
        {
            await grains.DeclareReadyAsync(type, "status", "/status");
            await churn.DisposeAsync();
            foreach (var (id, json) in churn.Final)
            {
                documents[id] = json;
            }
        }

        await QueryScaleTests.AssertIndexEqualsScanAsync(_scope.Cluster.ServiceId, _redis.ConnectionString, grains, type, "status", documents);
        var firstPage = await grains.QueryPageAsync(new RootQuery(type, "status", IndexCondition.Equal("\"open\""), Descending: true, Limit: 5, IncludeDocuments: true));
        firstPage.Items.Should().HaveCount(5);
        firstPage.Items.Select(i => i.Root).Should().BeInDescendingOrder(StringComparer.Ordinal);
        firstPage.Items.Should().AllSatisfy(i => i.Document.Should().Contain("\"open\""));
    }

    public async ValueTask DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
