using System.Diagnostics;
using Actors.Contracts;
using Actors.TestInfrastructure.Orleans;

namespace Actors.Silo.Tests.Cluster;

/// <summary>Grain state in a real Redis outlives the silo process that wrote it.</summary>
public sealed class SiloRestartTests(RedisClassFixture fixture) : IClassFixture<RedisClassFixture>, IAsyncDisposable
{
    private readonly ClusterTestScope _scope = new(fixture.Redis.ConnectionString, "restart");

    [Fact]
    public async Task Root_SiloRestartedGracefully_KeepsDocumentVersionAndWriteIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = ClusterTestScope.NewRoot();
        var firstWrite = WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"title":"hello","tags":["a"]}""");

        var first = await _scope.StartSiloAsync("restart-1", ct);
        await using (var client = await ActorsTestClient.StartAsync(_scope.Cluster, ct))
        {
            (await client.Root(root).WriteAsync(firstWrite)).Should().BeEquivalentTo(new WriteResult(root.ToString(), 1, Created: true));
            (await client.Root(root).WriteAsync(WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"n":2}""")))
                .Should().BeEquivalentTo(new WriteResult(root.ToString(), 2));
        }

        var stopping = Stopwatch.StartNew();
        (await first.StopAsync(ct)).Should().Be(0, "SIGTERM is a graceful stop\n{0}", first.RecentOutputWithHeader());
        var stopped = stopping.Elapsed;

        var second = await _scope.StartSiloAsync("restart-2", ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"silo started in {first.StartDuration.TotalSeconds:0.0} s, stopped gracefully in {stopped.TotalSeconds:0.0} s, restarted in {second.StartDuration.TotalSeconds:0.0} s");
        var after = await _scope.StartClientAsync(ct);
        (await after.Root(root).ReadAsync()).Should().BeEquivalentTo(new ReadResult(root.ToString(), 2, """{"title":"hello","tags":["a"],"n":2}"""));
        (await after.Root(root).WriteAsync(firstWrite)).Should().BeEquivalentTo(new WriteResult(root.ToString(), 1, Duplicate: true, Created: true));
        (await after.Root(root).ReadAsync()).Version.Should().Be(2, "a duplicate changes nothing");
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
