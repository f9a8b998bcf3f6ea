using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// One real redis-server shared by the tests of a class; each test keeps to itself with its own ClusterId and ServiceId.
/// </summary>
public sealed class RedisClassFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Redis = await RedisServer.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
