using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure.Orleans;
using Actors.TestInfrastructure.Silos;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// What one test started: silo processes and clients of one cluster with its own ClusterId and ServiceId. Disposed by
/// the test class after the test, so a failed test gets every silo's last log lines in its output.
/// </summary>
public sealed class ClusterTestScope : IAsyncDisposable
{
    private const int LinesPerSiloOnFailure = 150;

    private readonly List<SiloProcess> _silos = [];
    private readonly List<ActorsTestClient> _clients = [];

    /// <param name="redis">The Redis connection string, or null for the embedded default.</param>
    /// <param name="label">A word for the test, put into the ids so leftovers in Redis say whose they are.</param>
    public ClusterTestScope(string? redis, string label)
    {
        var unique = $"{label}-{Guid.NewGuid().ToString("N")[..10]}";
        Cluster = new ActorsClusterOptions { Redis = redis, ClusterId = $"c-{unique}", ServiceId = $"s-{unique}" };
    }

    /// <summary>Where the test's cluster is; give it to clients.</summary>
    public ActorsClusterOptions Cluster { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>Options for a silo of this test's cluster.</summary>
    public SiloProcessOptions SiloOptions(string name) =>
        new() { Redis = Cluster.Redis, ClusterId = Cluster.ClusterId, ServiceId = Cluster.ServiceId, Name = name };

    /// <summary>Starts a silo of this test's cluster and waits until it is ready.</summary>
    public Task<SiloProcess> StartSiloAsync(string name, CancellationToken cancellationToken) =>
        StartSiloAsync(SiloOptions(name), cancellationToken);

    /// <summary>Starts a silo with <paramref name="options"/> and waits until it is ready.</summary>
    public async Task<SiloProcess> StartSiloAsync(SiloProcessOptions options, CancellationToken cancellationToken)
    {
        var silo = SiloProcess.Launch(options);
        lock (_silos)
        {
            _silos.Add(silo);
        }
        await silo.WaitUntilReadyAsync(cancellationToken);
        return silo;
    }

    /// <summary>Starts a silo without waiting for it, for startup failures.</summary>
    public SiloProcess LaunchSilo(SiloProcessOptions options)
    {
        var silo = SiloProcess.Launch(options);
        lock (_silos)
        {
            _silos.Add(silo);
        }
        return silo;
    }

    /// <summary>Starts a client of this test's cluster (<see cref="Cluster"/> unless <paramref name="options"/> says otherwise).</summary>
    public async Task<ActorsTestClient> StartClientAsync(CancellationToken cancellationToken, ActorsClusterOptions? options = null)
    {
        var client = await ActorsTestClient.StartAsync(options ?? Cluster, cancellationToken);
        _clients.Add(client);
        return client;
    }

    /// <summary>A fresh root of type <c>test</c>.</summary>
    public static RootId NewRoot() => RootId.Create("test", Guid.NewGuid().ToString("N"));

    /// <summary>A fresh write id.</summary>
    public static string NewWriteId() => Guid.NewGuid().ToString("N");

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result is TestResult.Failed && TestContext.Current.TestOutputHelper is { } output)
        {
            foreach (var silo in _silos)
            {
                var lines = silo.RecentOutputWithHeader().Split('\n');
                output.WriteLine(string.Join('\n', lines.TakeLast(LinesPerSiloOnFailure)));
            }
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }
}
