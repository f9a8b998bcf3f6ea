using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway (its <c>Program</c>) on Kestrel at 127.0.0.1 with a dynamic port, whose Orleans client looks for
/// a silo gateway on <c>siloGatewayPort</c> (localhost clustering, the embedded default of docs/configuration.md).
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <summary>Creates the factory; nothing starts until <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/>.</summary>
    /// <param name="configureServices">Extra services, after the gateway's own (e.g. an in-memory telemetry exporter).</param>
    public GatewayFactory(int siloGatewayPort, string clusterId, string serviceId, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Actors:Redis"] = string.Empty,
            ["Actors:LocalGatewayPort"] = siloGatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Actors:ClusterId"] = clusterId,
            ["Actors:ServiceId"] = serviceId,
            ["Gateway:MaxConnectRetryDelay"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // Tests of everything but authentication call as anonymous operators, as ./actors up allows on loopback;
        // settings with any Gateway:Auth key (AuthTests) replace this.
        if (settings is null || !settings.Keys.Any(key => key.StartsWith("Gateway:Auth:", StringComparison.OrdinalIgnoreCase)))
        {
            _settings["Gateway:Auth:Anonymous:0"] = "operator:*";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Production");
        if (_configureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }
}
