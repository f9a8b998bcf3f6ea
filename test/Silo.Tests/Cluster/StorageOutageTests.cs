using System.Diagnostics;
using Actors.Contracts;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>Redis going away and coming back: writes fail cleanly, retries apply once, acknowledged writes survive.</summary>
public sealed class StorageOutageTests : IAsyncDisposable
{
    private static readonly TimeSpan UnavailableWithin = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    private RedisServer? _redis;
    private ClusterTestScope? _scope;

    [Fact]
    public async Task Write_RedisStopped_IsUnavailableThenAppliesOnceAfterRedisRestarts()
    {
        var ct = TestContext.Current.CancellationToken;
        // Its own Redis: this test stops it.
        _redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        _scope = new ClusterTestScope(_redis.ConnectionString, "outage");
        await _scope.StartSiloAsync("outage", ct);
        var client = await _scope.StartClientAsync(ct);
        var root = ClusterTestScope.NewRoot();
        var other = ClusterTestScope.NewRoot();
        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"a":1}"""))).Version.Should().Be(1);
        (await client.Root(other).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"b":1}"""))).Version.Should().Be(1);

        await _redis.StopAsync(ct);
        var during = WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"c":3}""");
        var stopwatch = Stopwatch.StartNew();
        var refused = await client.Root(root).WriteAsync(during).WaitAsync(UnavailableWithin, ct);
        var refusedAfter = stopwatch.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"write with Redis down refused after {refusedAfter.TotalSeconds:0.0} s: {refused}");

        refused.Error.Should().NotBeNull();
        refused.Error!.Kind.Should().Be(ActorsErrorKind.Unavailable);

        await _redis.StartAsync(ct);
        var applied = await Eventually.SucceedsAsync(
            "the retried write after Redis restarted", () => client.Root(root).WriteAsync(during), r => r.Succeeded, RecoveryTimeout, ct);
        applied.Version.Should().Be(2);
        (await client.Root(root).WriteAsync(during)).Should().BeEquivalentTo(new WriteResult(root.ToString(), 2, Duplicate: true));
        (await client.Root(root).ReadAsync()).Should().BeEquivalentTo(new ReadResult(root.ToString(), 2, """{"a":1,"c":3}"""));
        (await client.Root(other).ReadAsync()).Should().BeEquivalentTo(new ReadResult(other.ToString(), 1, """{"b":1}"""));
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
