using Actors.TestInfrastructure.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// An in-process silo on the shared XMPP server with a Redis of its own: its own membership and storage, so a test can
/// stop that Redis, or watch the first silo of a cluster start, without disturbing the shared cluster's silos.
/// Disposing stops the silo, then its Redis.
/// </summary>
public sealed class SiloWithOwnRedis : IAsyncDisposable
{
    private SiloWithOwnRedis(RedisServer redis, IHost silo)
    {
        Redis = redis;
        Silo = silo;
    }

    public RedisServer Redis { get; }

    public IHost Silo { get; }

    public static async Task<SiloWithOwnRedis> StartAsync(BridgeClusterFixture cluster, string name, CancellationToken cancellationToken, Action<ILoggingBuilder>? logging = null)
    {
        var redis = await RedisServer.StartNewAsync(cancellationToken: cancellationToken);
        try
        {
            var silo = await cluster.StartSiloAsync(name, new Dictionary<string, string?> { ["Actors:Redis"] = redis.ConnectionString }, logging);
            return new SiloWithOwnRedis(redis, silo);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Silo.StopAsync(TimeSpan.FromSeconds(30).ToCancellationToken());
            Silo.Dispose();
        }
        finally
        {
            await Redis.DisposeAsync();
        }
    }
}
