using Actors.Contracts;
using Actors.Contracts.Hosting;

namespace Actors.Silo.Tests.Cluster;

/// <summary>How a real silo process starts: the embedded default and bad configuration.</summary>
public sealed class SiloStartupTests : IAsyncDisposable
{
    private static readonly TimeSpan FailFastTimeout = TimeSpan.FromSeconds(20);

    private readonly ClusterTestScope _scope = new(redis: null, "startup");

    [Fact]
    public async Task Silo_NoRedisConfigured_WarnsLoudlyAndServesWritesInMemory()
    {
        var ct = TestContext.Current.CancellationToken;
        var silo = await _scope.StartSiloAsync("embedded", ct);

        silo.RecentOutput.Should().Contain("DATA WILL NOT SURVIVE A RESTART");
        var client = await _scope.StartClientAsync(ct, new ActorsClusterOptions
        {
            ClusterId = _scope.Cluster.ClusterId,
            ServiceId = _scope.Cluster.ServiceId,
            LocalGatewayPort = silo.GatewayPort,
        });
        var root = ClusterTestScope.NewRoot();
        var written = await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"mode":"embedded"}"""));
        written.Should().BeEquivalentTo(new WriteResult(root.ToString(), 1, Created: true));
        (await client.Root(root).ReadAsync()).Should().BeEquivalentTo(new ReadResult(root.ToString(), 1, """{"mode":"embedded"}"""));
        (await client.Root(root).GetLocationAsync()).SiloName.Should().Be("embedded");
    }

    [Fact]
    public async Task Silo_SiloPortZero_ExitsNonZeroQuicklyNamingTheSetting()
    {
        var ct = TestContext.Current.CancellationToken;
        var silo = _scope.LaunchSilo(_scope.SiloOptions("bad") with { SiloPort = 0 });

        var line = await silo.Process.WaitForOutputAsync(l => l.Contains("Actors:Silo:SiloPort", StringComparison.Ordinal), FailFastTimeout, ct);
        (await silo.Process.WaitForExitAsync(FailFastTimeout, ct)).Should().BeTrue("a bad setting must stop the silo at startup");

        silo.Process.ExitCode.Should().NotBe(0);
        line.Should().Contain("must be a TCP port");
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
