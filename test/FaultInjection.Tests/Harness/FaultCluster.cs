using System.Diagnostics;
using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure.Silos;

using Actors.TestInfrastructure.Load;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// The system under test, all real processes on loopback: silo processes and a gateway process on a shared Redis (one
/// redis-server or a Redis Cluster), in a cluster of their own (own ClusterId and ServiceId), plus a <see cref="ClusterMonitor"/>.
/// </summary>
/// <remarks>Owns the silos, the gateway and the monitor (not Redis): dispose kills what is left and, if the test failed, prints their last lines.</remarks>
internal sealed class FaultCluster : IAsyncDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(3);
    private const int LinesOnFailure = 120;

    private readonly List<SiloProcess> _silos = [];
    private ClusterMonitor? _monitor;

    private readonly IReadOnlyDictionary<string, string?> _siloEnvironment;

    private FaultCluster(string redis, string label, IReadOnlyDictionary<string, string?> siloEnvironment)
    {
        _siloEnvironment = siloEnvironment;
        var unique = $"{label}-{Guid.NewGuid().ToString("N")[..8]}";
        Cluster = new ActorsClusterOptions { Redis = redis, ClusterId = $"c-{unique}", ServiceId = $"s-{unique}" };
    }

    public ActorsClusterOptions Cluster { get; }

    /// <summary>Every silo started, including killed ones.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>Silos whose process is still running.</summary>
    public IEnumerable<SiloProcess> LiveSilos => _silos.Where(s => !s.Process.HasExited);

    public GatewayProcess Gateway { get; private set; } = null!;

    public ClusterMonitor Monitor => _monitor ?? throw new InvalidOperationException("Not started.");

    /// <summary>
    /// Starts <paramref name="silos"/> silos (with <paramref name="siloEnvironment"/>, e.g. the XMPP bridge settings) and
    /// a gateway on the Redis at <paramref name="redis"/> (a connection string: one server, or every node of a Redis
    /// Cluster) and waits until all silos are Active and the gateway is ready.
    /// </summary>
    public static async Task<FaultCluster> StartAsync(string redis, string label, int silos, IReadOnlyDictionary<string, string?> siloEnvironment, CancellationToken cancellationToken)
    {
        var cluster = new FaultCluster(redis, label, siloEnvironment);
        try
        {
            await Task.WhenAll(Enumerable.Range(1, silos).Select(i => cluster.StartSiloAsync($"silo-{i}", cancellationToken)));
            cluster.Gateway = GatewayProcess.Launch(cluster.GatewayOptions(port: null));
            cluster._monitor = await ClusterMonitor.StartAsync(cluster.Cluster, cancellationToken);
            await cluster.WaitUntilLiveSilosActiveAsync(TimeSpan.FromSeconds(60), cancellationToken);
            await cluster.Gateway.WaitUntilListeningAsync(cancellationToken);
            await cluster.WaitUntilGatewayReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo of this cluster and waits until its process is ready (not necessarily Active yet).</summary>
    public async Task<SiloProcess> StartSiloAsync(string name, CancellationToken cancellationToken)
    {
        var silo = SiloProcess.Launch(new SiloProcessOptions
        {
            Redis = Cluster.Redis,
            ClusterId = Cluster.ClusterId,
            ServiceId = Cluster.ServiceId,
            Name = name,
            StartTimeout = TimeSpan.FromSeconds(90),
            Environment = _siloEnvironment,
        });
        lock (_silos)
        {
            _silos.Add(silo);
        }
        await silo.WaitUntilReadyAsync(cancellationToken);
        return silo;
    }

    /// <summary>SIGKILLs the gateway; returns once the process is gone.</summary>
    public void KillGateway() => Gateway.Kill();

    /// <summary>Starts a new gateway on the port of the killed one (clients keep their URL); returns when it listens.</summary>
    public async Task RestartGatewayAsync(CancellationToken cancellationToken)
    {
        var port = Gateway.HttpPort;
        await Gateway.DisposeAsync();
        Gateway = GatewayProcess.Launch(GatewayOptions(port));
        await Gateway.WaitUntilListeningAsync(cancellationToken);
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200.</summary>
    public async Task WaitUntilGatewayReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = PollTimeout };
        var stopwatch = Stopwatch.StartNew();
        var last = "(none)";
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Gateway.BaseAddress, "readyz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = exception.GetType().Name;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"The gateway was not ready within {timeout.TotalSeconds:0} s; last /readyz: {last}.");
    }

    /// <summary>The membership address of <paramref name="silo"/> (its newest generation on its port).</summary>
    public async Task<SiloAddress> AddressOfAsync(SiloProcess silo, CancellationToken cancellationToken)
    {
        var hosts = await PollHostsAsync(h => h.Keys.Any(a => a.Endpoint.Port == silo.SiloPort), TimeSpan.FromSeconds(30), $"{silo.Name} in membership", cancellationToken);
        return hosts.Keys.Where(a => a.Endpoint.Port == silo.SiloPort).MaxBy(a => a.Generation)!;
    }

    /// <summary>Waits until the membership table shows <paramref name="address"/> Dead.</summary>
    public Task WaitUntilDeadAsync(SiloAddress address, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollHostsAsync(h => h.TryGetValue(address, out var status) && status == SiloStatus.Dead, timeout, $"{address} declared dead", cancellationToken);

    /// <summary>Waits until every running silo process is Active in membership (and no other silo is).</summary>
    public Task WaitUntilLiveSilosActiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ports = LiveSilos.Select(s => s.SiloPort).ToHashSet();
        return PollHostsAsync(
            h =>
            {
                var active = h.Where(e => e.Value == SiloStatus.Active).Select(e => e.Key.Endpoint.Port).ToList();
                return active.Count == ports.Count && active.ToHashSet().SetEquals(ports);
            },
            timeout,
            $"exactly the live silos ({string.Join(", ", LiveSilos.Select(s => s.Name))}) Active",
            cancellationToken);
    }

    /// <summary>Where each root of <paramref name="load"/> is active now: root index → silo name.</summary>
    public async Task<Dictionary<int, string>> LocateRootsAsync(HttpLoadGenerator load, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, string>();
        for (var i = 0; i < load.RootIds.Count; i++)
        {
            var location = await Monitor.TryLocateAsync(RootId.Create(HttpLoadGenerator.RootType, load.RootIds[i]), TimeSpan.FromSeconds(10), cancellationToken)
                ?? throw new TimeoutException($"Could not locate root {load.RootIds[i]}.");
            result[i] = location.SiloName;
        }
        return result;
    }

    /// <summary>The last lines of every process, for a failed test's output.</summary>
    public string Describe()
    {
        var parts = _silos.Select(s => Tail(s.RecentOutputWithHeader())).ToList();
        if (Gateway is not null)
        {
            parts.Add(Tail(Gateway.RecentOutputWithHeader()));
        }
        return string.Join('\n', parts);

        static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(LinesOnFailure));
    }

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result is TestResult.Failed)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Describe());
        }
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync();
        }
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    private GatewayProcessOptions GatewayOptions(int? port) => new()
    {
        Redis = Cluster.Redis,
        ClusterId = Cluster.ClusterId,
        ServiceId = Cluster.ServiceId,
        HttpPort = port,
        StartTimeout = TimeSpan.FromSeconds(90),
    };

    private async Task<Dictionary<SiloAddress, SiloStatus>> PollHostsAsync(
        Func<Dictionary<SiloAddress, SiloStatus>, bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        Dictionary<SiloAddress, SiloStatus>? last = null;
        while (stopwatch.Elapsed < timeout)
        {
            var hosts = await Monitor.TryGetHostsAsync(PollTimeout, cancellationToken);
            if (hosts is not null)
            {
                last = hosts;
                if (done(hosts))
                {
                    return hosts;
                }
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException(
            $"Not within {timeout.TotalSeconds:0} s: {what}. Last membership: {(last is null ? "(no answer)" : string.Join(", ", last.Select(h => $"{h.Key}={h.Value}")))}");
    }
}
