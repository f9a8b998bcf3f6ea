using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.Silo.Tests.Cluster;

namespace Actors.Silo.Tests.Queries;

/// <summary>A silo whose roots are in memory (the embedded default) refuses queries with a clear error instead of scanning.</summary>
public sealed class QueriesNotSupportedTests : IAsyncDisposable
{
    private readonly ClusterTestScope _scope = new(redis: null, "no-queries");

    [Fact]
    public async Task Query_MemoryStorage_QueriesNotSupportedNamingTheProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var silo = await _scope.StartSiloAsync("no-queries", ct);
        var grains = (await _scope.StartClientAsync(ct, new ActorsClusterOptions
        {
            ClusterId = _scope.Cluster.ClusterId,
            ServiceId = _scope.Cluster.ServiceId,
            LocalGatewayPort = silo.GatewayPort,
        })).Client;
        await grains.PutAsync("topic", "a", "{}");

        var page = await grains.QueryPageAsync(new RootQuery("topic"));
        page.Error!.Kind.Should().Be(ActorsErrorKind.QueriesNotSupported);
        page.Error.Message.Should().Contain("Memory");
        (await grains.GetIndex("topic", "status").DeclareAsync("/status")).Error!.Kind.Should().Be(ActorsErrorKind.QueriesNotSupported);
        (await grains.GetGrain<IRootQueryGrain>(0).ListIndexesAsync("topic")).Error!.Kind.Should().Be(ActorsErrorKind.QueriesNotSupported);
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
