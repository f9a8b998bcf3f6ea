using Actors.Silo.Storage;
using Actors.TestInfrastructure.Redis;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// The replicated storage runs a write's script on one chosen primary and then waits for that primary's replicas. While
/// slots move to another shard (<c>./actors redis add-shard</c>), that primary may answer MOVED or ASK; following the
/// redirect would run the write elsewhere and acknowledge it after a WAIT that does not cover it.
/// </summary>
public sealed class ReplicatedStorageRedirectTests
{
    private const string SetScript = "redis.call('SET', KEYS[1], ARGV[1]) return 1";

    [Fact]
    public async Task Evaluate_OnAPrimaryThatDoesNotOwnTheKey_FailsInsteadOfRunningOnTheOwner()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisClusterServer.StartNewAsync(new RedisClusterOptions { ReplicasPerPrimary = 0 }, ct);
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        const string key = "redirect-me";
        var owner = await redis.PrimaryForKeyAsync(key, ct);
        var other = (await redis.GetPrimariesAsync(ct)).First(p => p != owner);

        var onOther = async () => await ReplicatedRedisGrainStorage.EvaluateAsync(
            client.GetServer("127.0.0.1", other.Port), SetScript, [key], ["written-via-redirect"]);

        (await onOther.Should().ThrowAsync<RedisException>()).WithMessage("*MOVED*");
        (await owner.ExecuteAsync(["EXISTS", key], ct)).Should().Be("0", "the script did not run on the key's primary behind the caller's back");
        ((long)await ReplicatedRedisGrainStorage.EvaluateAsync(client.GetServer("127.0.0.1", owner.Port), SetScript, [key], ["written-on-owner"]))
            .Should().Be(1);
        (await owner.ExecuteAsync(["GET", key], ct)).Should().Be("written-on-owner");
    }
}
