using Actors.TestInfrastructure.Redis;

namespace Actors.FaultInjection.Tests;

/// <summary>
/// One real redis-server (AOF on, <c>appendfsync everysec</c>, as <c>./actors up</c> runs it) shared by the scenarios;
/// each scenario has a cluster of its own on it. Scenarios restart and kill it, so they run one after another.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Redis = await RedisServer.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Starts Redis again if an earlier scenario failed while it was down.</summary>
    public async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (Redis.Process is null || Redis.Process.HasExited)
        {
            await Redis.StartAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
