using Actors.TestInfrastructure.Processes;
using Actors.TestInfrastructure.Redis;

namespace Actors.Fixtures.Tests;

public sealed class RedisServerTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task StartNew_Default_AnswersSetAndGetOverRawResp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: ct);

        (await RespClient.ExecuteAsync(redis.Port, ["SET", "greeting", "hello"], CommandTimeout, ct)).Should().Be("OK");
        (await RespClient.ExecuteAsync(redis.Port, ["GET", "greeting"], CommandTimeout, ct)).Should().Be("hello");
        (await RespClient.ExecuteAsync(redis.Port, ["GET", "missing"], CommandTimeout, ct)).Should().BeNull();
        redis.ConnectionString.Should().Be($"127.0.0.1:{redis.Port}");
        TestContext.Current.SendDiagnosticMessage($"redis started in {redis.LastStartDuration.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Restart_AfterGracefulStop_KeepsDataFromAof()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        await RespClient.ExecuteAsync(redis.Port, ["SET", "durable", "yes"], CommandTimeout, ct);

        await redis.StopAsync(ct);
        await redis.StartAsync(ct);

        (await RespClient.ExecuteAsync(redis.Port, ["GET", "durable"], CommandTimeout, ct)).Should().Be("yes");
        File.Exists(Path.Combine(redis.DataDirectory, "appendonlydir", "appendonly.aof.1.incr.aof")).Should().BeTrue();
    }

    [Fact]
    public async Task Restart_AfterKill_KeepsDataSyncedBeforeTheKill()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        await RespClient.ExecuteAsync(redis.Port, ["SET", "survivor", "1"], CommandTimeout, ct);
        // appendfsync everysec: give the background fsync a chance before the crash.
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);

        redis.Kill();
        await redis.StartAsync(ct);

        (await RespClient.ExecuteAsync(redis.Port, ["GET", "survivor"], CommandTimeout, ct)).Should().Be("1");
    }

    [Fact]
    public async Task Dispose_RunningServer_LeavesNoProcessAndNoDirectory()
    {
        var ct = TestContext.Current.CancellationToken;
        var redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        var tree = redis.Process!.GetProcessTree();
        tree.Should().Contain(p => p.Name.StartsWith("redis-server", StringComparison.Ordinal));

        await redis.DisposeAsync();

        tree.Where(p => p.IsAlive).Should().BeEmpty();
        Directory.Exists(redis.DataDirectory).Should().BeFalse();
    }

    [Fact]
    public void ProcessIdentity_OwnProcess_IsAlive()
    {
        ProcessIdentity.TreeOf(Environment.ProcessId).Should().Contain(p => p.Pid == Environment.ProcessId && p.IsAlive);
    }
}
