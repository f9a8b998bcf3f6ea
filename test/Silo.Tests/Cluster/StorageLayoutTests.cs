using Actors.Contracts;
using Actors.Silo.Tests.Queries;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// Roots written by the layout before partitions (Orleans' Redis provider) stay readable by the replicated storage and
/// move to the partitioned keys on their next write (docs/configuration.md, Storage layout).
/// </summary>
public sealed class StorageLayoutTests(RedisClassFixture fixture) : IClassFixture<RedisClassFixture>, IAsyncDisposable
{
    private readonly ClusterTestScope _scope = new(fixture.Redis.ConnectionString, "layout");

    [Fact]
    public async Task Root_WrittenByOrleansProvider_ReadByReplicatedStorageThenMovedToPartitionedKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = ClusterTestScope.NewRoot();
        var firstWrite = WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"title":"old layout"}""");
        var old = await _scope.StartSiloAsync(_scope.SiloOptions("layout-old") with
        {
            Environment = new Dictionary<string, string?> { ["Actors__Storage__Provider"] = "OrleansRedis" },
        }, ct);
        await using (var client = await _scope.StartClientAsync(ct))
        {
            (await client.Root(root).WriteAsync(firstWrite)).Version.Should().Be(1);
        }

        (await old.StopAsync(ct)).Should().Be(0, old.RecentOutputWithHeader());
        (await KeysAsync($"*{root}*", ct)).Should().NotContain(k => k.StartsWith("actors/", StringComparison.Ordinal), "the old provider knows nothing of partitions");

        await _scope.StartSiloAsync("layout-new", ct);
        var after = await _scope.StartClientAsync(ct);
        (await after.Root(root).ReadAsync()).Should().BeEquivalentTo(new ReadResult(root.ToString(), 1, """{"title":"old layout"}"""));
        (await after.Root(root).WriteAsync(firstWrite)).Duplicate.Should().BeTrue("the write ids came along");
        (await after.Root(root).WriteAsync(WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"n":2}"""))).Version.Should().Be(2);

        var moved = await KeysAsync($"actors/*/root/*{root}", ct);
        moved.Should().ContainSingle().Which.Should().MatchRegex(@"^actors/\{[^}]+/p\d+\}/root/root/");
    }

    /// <summary>
    /// The upgrade docs/queries.md describes: roots written by the old provider are listed and found by an index after a
    /// new silo starts — its catalog backfill copies them, with their version, and no write is needed.
    /// </summary>
    [Fact]
    public async Task Roots_WrittenByOrleansProvider_ListedAndIndexedAfterUpgradeWithoutAWrite()
    {
        var ct = TestContext.Current.CancellationToken;
        var type = $"upgrade{Guid.NewGuid().ToString("N")[..6]}";
        var old = await _scope.StartSiloAsync(_scope.SiloOptions("upgrade-old") with
        {
            Environment = new Dictionary<string, string?> { ["Actors__Storage__Provider"] = "OrleansRedis" },
        }, ct);
        await using (var client = await _scope.StartClientAsync(ct))
        {
            var grains = client.Client;
            await grains.GetRoot(RootId.Create(type, "a")).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"status":"open"}"""));
            await grains.GetRoot(RootId.Create(type, "a")).WriteAsync(WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"n":2}"""));
            await grains.GetRoot(RootId.Create(type, "b")).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"status":"closed"}"""));
            await grains.GetRoot(RootId.Create(type, "gone")).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"status":"open"}"""));
            await grains.GetRoot(RootId.Create(type, "gone")).WriteAsync(WriteCommand.Delete(ClusterTestScope.NewWriteId()));
        }
        (await old.StopAsync(ct)).Should().Be(0, old.RecentOutputWithHeader());

        var silo = await _scope.StartSiloAsync(_scope.SiloOptions("upgrade-new") with
        {
            Environment = new Dictionary<string, string?> { ["Actors__Queries__BuildKeeperInterval"] = "00:00:00.2" },
        }, ct);
        var after = (await _scope.StartClientAsync(ct)).Client;
        var listed = await Eventually.SucceedsAsync("the old roots listed", () => after.AllAsync(new RootQuery(type)), items => items.Count == 2, TimeSpan.FromSeconds(30), ct);
        listed.Select(i => (i.Root, i.Version)).Should().Equal(($"{type}/a", 2L), ($"{type}/b", 1L));
        silo.RecentOutput.Should().Contain("Catalog backfill done");

        await after.DeclareReadyAsync(type, "status", "/status");
        (await after.AllAsync(new RootQuery(type, "status", IndexCondition.Equal("\"open\"")))).Select(i => i.Root).Should().Equal($"{type}/a");
    }

    private async Task<IReadOnlyList<string>> KeysAsync(string pattern, CancellationToken cancellationToken)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        return [.. redis.GetServer(fixture.Redis.ConnectionString).Keys(pattern: pattern).Select(k => k.ToString())];
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
