using System.Globalization;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Processes;
using Actors.TestInfrastructure.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Benchmarks.E2e;

/// <summary>
/// Everything one measurement setup needs, each server its own process on free loopback ports: Redis (AOF everysec),
/// <c>silos</c> silo processes (this assembly in <c>silo</c> mode), optionally the gateway and the hello baseline, and an
/// Orleans client (AddActorsClient) in the driver. Dispose stops all of them.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ManagedProcess> _silos = [];
    private readonly string _clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer? _redis;
    private RedisClusterServer? _redisCluster;
    private string _redisConnection = null!;
    private IReadOnlyList<string> _siloArguments = [];
    private IReadOnlyDictionary<string, string?> _gatewayEnvironment = new Dictionary<string, string?>();
    private IHost? _client;

    private BenchCluster()
    {
    }

    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public IReadOnlyList<ManagedProcess> Silos => _silos;

    public ManagedProcess? Gateway { get; private set; }

    public ManagedProcess? Hello { get; private set; }

    public int GatewayHttpPort { get; private set; }

    /// <summary>Why the gateway did not come up, when it did not.</summary>
    public string? GatewayError { get; private set; }

    public int HelloHttpPort { get; private set; }

    /// <summary>The single Redis, when this setup runs on one (the e2e default).</summary>
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("This setup runs on a Redis Cluster.");

    /// <summary>The connection string silos and the client use.</summary>
    public string RedisConnection => _redisConnection;

    /// <summary>The process groups a <see cref="CpuMeter"/> splits CPU time between.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> ProcessGroups()
    {
        var groups = new Dictionary<string, IReadOnlyList<int>>
        {
            ["silos"] = _silos.Where(s => !s.HasExited).Select(s => s.Pid).ToArray(),
            ["redis"] = RedisPids(),
            ["driver"] = [Environment.ProcessId],
        };
        if (Gateway is { HasExited: false } gateway)
        {
            groups["gateway"] = [gateway.Pid];
        }
        if (Hello is { HasExited: false } hello)
        {
            groups["hello"] = [hello.Pid];
        }
        return groups;
    }

    public CpuMeter NewCpuMeter() => new(ProcessGroups);

    private int[] RedisPids() => _redisCluster is { } redisCluster
        ? [.. redisCluster.Nodes.Select(n => n.Process).OfType<ManagedProcess>().Where(p => !p.HasExited).Select(p => p.Pid)]
        : _redis?.Process is { HasExited: false } r ? [r.Pid] : [];

    public static async Task<BenchCluster> StartAsync(int silos, bool http, bool perfMaps = false) =>
        await StartAsync(silos, http, perfMaps, clusterPrimaries: 0, siloArguments: []);

    /// <summary>
    /// Starts a setup on one Redis (<paramref name="clusterPrimaries"/> 0) or on a Redis Cluster of that many primaries
    /// × 1 replica; <paramref name="siloArguments"/> are extra settings for every silo (<c>--Actors:Storage:MinReplicas=0</c>),
    /// <paramref name="gatewayEnvironment"/> extra environment variables for the gateway (<c>Actors__Telemetry__Enabled</c>).
    /// </summary>
    public static async Task<BenchCluster> StartAsync(int silos, bool http, bool perfMaps, int clusterPrimaries, IReadOnlyList<string> siloArguments,
        IReadOnlyDictionary<string, string?>? gatewayEnvironment = null)
    {
        var cluster = new BenchCluster { _siloArguments = siloArguments, _gatewayEnvironment = gatewayEnvironment ?? new Dictionary<string, string?>() };
        try
        {
            if (clusterPrimaries > 0)
            {
                cluster._redisCluster = await RedisClusterServer.StartNewAsync(new RedisClusterOptions { Primaries = clusterPrimaries });
                cluster._redisConnection = cluster._redisCluster.ConnectionString;
            }
            else
            {
                cluster._redis = await RedisServer.StartNewAsync();
                cluster._redisConnection = cluster._redis.ConnectionString;
            }
            for (var i = 0; i < silos; i++)
            {
                await cluster.StartSiloAsync(perfMaps && i == 0);
            }
            await cluster.StartClientAsync();
            if (http)
            {
                await cluster.StartHttpAsync(perfMaps);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static Dictionary<string, string?> PerfEnvironment(bool perfMap, Dictionary<string, string?> environment)
    {
        if (perfMap)
        {
            // perf can then name JIT-compiled frames (/tmp/perf-PID.map).
            environment["DOTNET_PerfMapEnabled"] = "1";
            // With W^X on, JIT code runs from a memfd double mapping that the perf map cannot name.
            environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        return environment;
    }

    private async Task StartSiloAsync(bool perfMap)
    {
        var siloPort = FreePort.Allocate();
        var gatewayPort = FreePort.Allocate();
        var environment = PerfEnvironment(perfMap, []);
        var silo = ManagedProcess.Start(
            "dotnet",
            [
                typeof(BenchCluster).Assembly.Location, "silo",
                $"--Actors:Redis={_redisConnection}",
                $"--Actors:ClusterId={_clusterId}",
                $"--Actors:Silo:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Actors:Silo:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
                .. _siloArguments,
            ],
            environment: environment);
        _silos.Add(silo);
        await silo.WaitForPortAsync(gatewayPort, StartTimeout);
    }

    private async Task StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole();
        builder.AddActorsClient(o =>
        {
            o.Redis = _redisConnection;
            o.ClusterId = _clusterId;
        });
        _client = builder.Build();
        await _client.StartAsync();
    }

    private async Task StartHttpAsync(bool perfMaps)
    {
        var gatewayDll = Path.Combine(RepositoryRoot.Find(), "src", "Gateway", "bin", BuildConfiguration, "net10.0", "Actors.Gateway.dll");
        GatewayHttpPort = FreePort.Allocate();
        Gateway = ManagedProcess.Start(
            "dotnet",
            [gatewayDll, "--urls", $"http://127.0.0.1:{GatewayHttpPort.ToString(CultureInfo.InvariantCulture)}"],
            workingDirectory: Path.GetDirectoryName(gatewayDll),
            environment: PerfEnvironment(perfMaps, new Dictionary<string, string?>
            {
                ["Actors__Redis"] = _redisConnection,
                ["Actors__ClusterId"] = _clusterId,
                ["Logging__LogLevel__Default"] = "Warning",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Gateway__Auth__Anonymous__0"] = "operator:*",
                // wrk's 64 connections are one caller: measure the gateway, not its per-caller limit.
                ["Gateway__RequestsPerSecondPerCaller"] = "0",
            }.Concat(_gatewayEnvironment).ToDictionary()));
        HelloHttpPort = FreePort.Allocate();
        Hello = ManagedProcess.Start(
            "dotnet",
            [typeof(BenchCluster).Assembly.Location, "hello", "--urls", $"http://127.0.0.1:{HelloHttpPort.ToString(CultureInfo.InvariantCulture)}"],
            environment: PerfEnvironment(perfMaps, new Dictionary<string, string?>
            {
                // What the Web SDK sets for the gateway; this assembly is a console app.
                ["DOTNET_gcServer"] = "1",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            }));
        await Hello.WaitForPortAsync(HelloHttpPort, StartTimeout);
        try
        {
            await Gateway.WaitForPortAsync(GatewayHttpPort, StartTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            // A commit without the HTTP gateway yet: measure everything else.
            GatewayError = ex.Message.Split('\n')[0];
            await Gateway.DisposeAsync();
            Gateway = null;
        }
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    /// <summary>Stops every process this setup started (client first, then HTTP, silos, Redis).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(TimeSpan.FromSeconds(10));
            }
            finally
            {
                _client.Dispose();
            }
        }
        foreach (var process in new[] { Gateway, Hello }.Concat(_silos.AsEnumerable().Reverse()))
        {
            if (process is not null)
            {
                await process.StopAsync(TimeSpan.FromSeconds(15));
                await process.DisposeAsync();
            }
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_redisCluster is not null)
        {
            await _redisCluster.DisposeAsync();
        }
    }
}
