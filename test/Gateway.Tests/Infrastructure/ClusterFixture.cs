using System.Diagnostics;
using System.Net;
using Actors.Silo.Hosting;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

[assembly: AssemblyFixture(typeof(Actors.Gateway.Tests.Infrastructure.ClusterFixture))]

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>
/// A real redis-server, one real silo on it (the project's own <c>AddActorsSilo</c>: Redis membership and Redis grain
/// storage, free ports) and the real gateway on Kestrel at 127.0.0.1 whose Orleans client finds the silo through
/// Redis — the production wiring end to end. Shared by the whole assembly: every test uses its own root ids.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Action<IServiceCollection>? _configureSilo;
    private readonly IReadOnlyDictionary<string, string?> _siloSettings = new Dictionary<string, string?>();
    private RedisServer? _redis;
    private IHost? _silo;
    private GatewayFactory? _gateway;
    private string _clusterId = string.Empty;
    private int _siloGatewayPort;

    /// <summary>The assembly's shared cluster.</summary>
    public ClusterFixture()
    {
    }

    /// <summary>A cluster whose silo gets extra services (e.g. an in-memory telemetry exporter).</summary>
    internal ClusterFixture(Action<IServiceCollection> configureSilo, IReadOnlyDictionary<string, string?> siloSettings)
    {
        _configureSilo = configureSilo;
        _siloSettings = siloSettings;
    }

    /// <summary>A client of the gateway.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The in-process silo's services (e.g. to reach grains from inside the cluster).</summary>
    public IServiceProvider SiloServices => _silo?.Services ?? throw new InvalidOperationException("The silo is stopped.");

    /// <summary>The silo-to-silo port, which <c>/v1/cluster</c> reports in the silo's address.</summary>
    public int SiloPort { get; private set; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        SiloPort = FreePort.Allocate();
        var gatewayPort = FreePort.Allocate();
        // A cluster of our own: silos of other test runs on this machine must never answer our client.
        var id = "gateway-tests-" + Guid.NewGuid().ToString("N")[..8];

        _redis = await RedisServer.StartNewAsync();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Actors:Redis"] = _redis.ConnectionString,
            ["Actors:ClusterId"] = id,
            ["Actors:ServiceId"] = id,
            ["Actors:Silo:Name"] = "gateway-tests-silo",
            ["Actors:Silo:SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Actors:Silo:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(_siloSettings);
        builder.AddActorsSilo();
        _configureSilo?.Invoke(builder.Services);
        _silo = builder.Build();
        using (var start = new CancellationTokenSource(ReadyTimeout))
        {
            await _silo.StartAsync(start.Token);
        }

        (_clusterId, _siloGatewayPort) = (id, gatewayPort);
        _gateway = CreateGateway(new Dictionary<string, string?>());
        Client = _gateway.CreateClient();
        await WaitUntilReadyAsync(Client);
    }

    /// <summary>
    /// Another gateway on the same cluster with extra settings (e.g. <c>Gateway:Auth:…</c>); the caller disposes it.
    /// Anonymous callers are operators unless the settings say otherwise.
    /// </summary>
    public GatewayFactory CreateGateway(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var all = new Dictionary<string, string?>(settings) { ["Actors:Redis"] = _redis!.ConnectionString };
        return new GatewayFactory(_siloGatewayPort, _clusterId, _clusterId, all, configureServices);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        await StopSiloAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Stops and disposes the silo, leaving the gateway running without a cluster.</summary>
    public async Task StopSiloAsync()
    {
        if (_silo is { } silo)
        {
            _silo = null;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await silo.StopAsync(stop.Token);
            silo.Dispose();
        }
    }

    /// <summary>The gateway connects in the background; tests start once <c>/readyz</c> says it reaches the silo.</summary>
    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < ReadyTimeout)
        {
            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            last = await response.Content.ReadAsStringAsync();
            await Task.Delay(200);
        }
        throw new TimeoutException($"The gateway did not become ready within {ReadyTimeout.TotalSeconds} s: {last}");
    }
}
