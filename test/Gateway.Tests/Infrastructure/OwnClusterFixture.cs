namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>A silo and gateway of a test class's own, for tests that stop the silo (the shared one must stay up).</summary>
public sealed class OwnClusterFixture : IAsyncLifetime
{
    /// <summary>The silo and gateway.</summary>
    public ClusterFixture Cluster { get; } = new();

    /// <inheritdoc />
    public ValueTask InitializeAsync() => Cluster.InitializeAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
