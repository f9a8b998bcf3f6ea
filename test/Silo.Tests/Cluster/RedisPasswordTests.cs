using Actors.Contracts;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>A Redis that requires a password: the silo uses it from <c>Actors:Redis</c> and never logs it (docs/configuration.md).</summary>
public sealed class RedisPasswordTests : IAsyncDisposable
{
    private const string Password = "s3cret-redis-pass-4711";

    private RedisServer? _redis;
    private ClusterTestScope? _scope;

    [Fact]
    public async Task Silo_RedisWithPassword_StoresRootsAndNeverLogsThePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        _redis = await RedisServer.StartNewAsync(new RedisServerOptions { Password = Password }, ct);
        _scope = new ClusterTestScope(_redis.ConnectionString, "password");
        var silo = await _scope.StartSiloAsync("password", ct);
        var client = await _scope.StartClientAsync(ct);
        var root = ClusterTestScope.NewRoot();

        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"a":1}"""))).Version.Should().Be(1);
        (await client.Root(root).ReadAsync()).Json.Should().Be("""{"a":1}""");

        silo.RecentOutput.Should().Contain("Redis=127.0.0.1:", "the banner names the Redis it uses").And.NotContain(Password);
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
