using System.Diagnostics;
using Actors.Contracts;
using Actors.TestInfrastructure.Orleans;
using Actors.TestInfrastructure.Silos;

namespace Actors.Silo.Tests.Cluster;

/// <summary>Several silo processes form one cluster through Redis, and a killed one is replaced by the survivors.</summary>
public sealed class SiloMembershipTests(RedisClassFixture fixture) : IClassFixture<RedisClassFixture>, IAsyncDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterTestScope _scope = new(fixture.Redis.ConnectionString, "members");

    [Fact]
    public async Task Cluster_TwoSiloProcesses_FormOneClusterAndSpreadRoots()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b, client) = await StartTwoSilosAsync(ct);

        var roots = Enumerable.Range(0, 50).Select(_ => ClusterTestScope.NewRoot()).ToArray();
        await Task.WhenAll(roots.Select((root, i) => client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), $$"""{"i":{{i}}}"""))));
        var locations = await Task.WhenAll(roots.Select(root => client.Root(root).GetLocationAsync()));

        locations.Select(l => l.SiloName).Distinct().Should().BeEquivalentTo([a.Name, b.Name], "roots are placed on both silos");
        var reads = await Task.WhenAll(roots.Select(root => client.Root(root).ReadAsync()));
        reads.Select(r => r.Json).Should().Equal(Enumerable.Range(0, 50).Select(i => $$"""{"i":{{i}}}"""));
        reads.Should().OnlyContain(r => r.Version == 1);
    }

    [Fact]
    public async Task Cluster_SiloKilled_DeclaredDeadAndItsRootsServedBySurvivorWithoutLoss()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b, client) = await StartTwoSilosAsync(ct);
        var hosts = await client.Management.GetHosts(onlyActive: true, ct);

        var writes = Enumerable.Range(0, 40)
            .Select(i => (Root: ClusterTestScope.NewRoot(), Command: WriteCommand.Put(ClusterTestScope.NewWriteId(), $$"""{"i":{{i}}}""")))
            .ToArray();
        var acknowledged = await Task.WhenAll(writes.Select(w => client.Root(w.Root).WriteAsync(w.Command)));
        acknowledged.Should().OnlyContain(r => r.Succeeded && r.Version == 1);
        var locations = await Task.WhenAll(writes.Select(w => client.Root(w.Root).GetLocationAsync()));
        var victim = locations.Count(l => l.SiloName == b.Name) > 0 ? b : a;
        var survivor = victim == b ? a : b;
        var victimAddress = hosts.Keys.Single(s => s.Endpoint.Port == victim.SiloPort);
        var onVictim = writes.Where((_, i) => locations[i].SiloName == victim.Name).ToArray();

        var sinceKill = Stopwatch.StartNew();
        victim.Kill();
        await Eventually.SucceedsAsync(
            $"declaring {victim.Name} dead",
            () => client.Management.GetHosts(onlyActive: false, ct),
            all => all.TryGetValue(victimAddress, out var status) && status == SiloStatus.Dead,
            RecoveryTimeout,
            ct);
        var declaredDead = sinceKill.Elapsed;

        // Retrying with the same write ids is always safe: every write acknowledged before the kill comes back as a duplicate.
        var retried = await Task.WhenAll(writes.Select(w => Eventually.SucceedsAsync(
            $"retrying the write to {w.Root}", () => client.Root(w.Root).WriteAsync(w.Command), r => r.Succeeded, RecoveryTimeout, ct)));
        var allServed = sinceKill.Elapsed;
        TestContext.Current.SendDiagnosticMessage(
            $"SIGKILL of {victim.Name} (hosting {onVictim.Length} of {writes.Length} roots): declared dead after {declaredDead.TotalSeconds:0.0} s, " +
            $"all roots served again after {allServed.TotalSeconds:0.0} s");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"declared dead after {declaredDead.TotalSeconds:0.0} s; all {writes.Length} roots served again after {allServed.TotalSeconds:0.0} s");

        retried.Should().OnlyContain(r => r.Duplicate && r.Version == 1, "those writes were acknowledged before the kill");
        var reads = await Task.WhenAll(writes.Select(w => client.Root(w.Root).ReadAsync()));
        reads.Select(r => r.Json).Should().Equal(writes.Select(w => w.Command.Json), "no acknowledged write is lost");
        var moved = await Task.WhenAll(onVictim.Select(w => client.Root(w.Root).GetLocationAsync()));
        moved.Should().OnlyContain(l => l.SiloName == survivor.Name);
        var next = await Task.WhenAll(onVictim.Select(w => client.Root(w.Root).WriteAsync(WriteCommand.Merge(ClusterTestScope.NewWriteId(), """{"moved":true}"""))));
        next.Should().OnlyContain(r => r.Succeeded && !r.Duplicate && r.Version == 2);
        (await client.Management.GetHosts(onlyActive: true, ct)).Keys.Should().ContainSingle().Which.Endpoint.Port.Should().Be(survivor.SiloPort);
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    private async Task<(SiloProcess A, SiloProcess B, ActorsTestClient Client)> StartTwoSilosAsync(CancellationToken ct)
    {
        var silos = await Task.WhenAll(_scope.StartSiloAsync("member-a", ct), _scope.StartSiloAsync("member-b", ct));
        var client = await _scope.StartClientAsync(ct);
        await Eventually.SucceedsAsync(
            "both silos active in membership", () => client.Management.GetHosts(onlyActive: true, ct), hosts => hosts.Count == 2, JoinTimeout, ct);
        return (silos[0], silos[1], client);
    }
}
