using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Observability;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using System.Diagnostics;

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>
/// A cluster of its own (Redis, a silo, a gateway) whose silo and gateway also export to memory: the silo its metrics and
/// spans, the gateway its spans. Tests read what the real OpenTelemetry configuration of each host exported.
/// </summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    // Traces are collected only with an exporter configured (OTLP); the in-memory ones are added in code.
    private static readonly Dictionary<string, string?> Traces = new() { ["Actors:Telemetry:Traces"] = "true" };

    private readonly int _siloMetricsPort = FreePort.Allocate();

    private GatewayFactory? _gateway;

    public TelemetryFixture()
    {
        Cluster = new ClusterFixture(
            services => services
                .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(SiloMetrics))
                .ConfigureOpenTelemetryTracerProvider(traces => traces.AddInMemoryExporter(SiloSpans)),
            new Dictionary<string, string?>(Traces) { ["Actors:Metrics:Port"] = _siloMetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>The silo and the assembly-style gateway (no exporters of its own).</summary>
    public ClusterFixture Cluster { get; }

    /// <summary>The silo's own Prometheus listener (<c>Actors:Metrics:Port</c>), at <c>http://localhost:PORT/metrics</c>.</summary>
    public Uri SiloMetricsUrl => new($"http://localhost:{_siloMetricsPort}/metrics");

    /// <summary>What the silo's meter provider exported, a snapshot per collection.</summary>
    public List<MetricSnapshot> SiloMetrics { get; } = [];

    /// <summary>The spans the silo's tracer provider exported.</summary>
    public List<Activity> SiloSpans { get; } = [];

    /// <summary>The spans the gateway's tracer provider exported.</summary>
    public List<Activity> GatewaySpans { get; } = [];

    /// <summary>A client of the gateway that exports to <see cref="GatewaySpans"/>.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await Cluster.InitializeAsync();
        _gateway = Cluster.CreateGateway(Traces,
            services => services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddInMemoryExporter(GatewaySpans)));
        Client = _gateway.CreateClient();
        await ClusterFixture.WaitUntilReadyAsync(Client);
    }

    /// <summary>Collects the silo's metrics now and returns the sum of <paramref name="name"/>'s points whose tags include <paramref name="tags"/>.</summary>
    public double SiloMetric(string name, params (string Key, string Value)[] tags)
    {
        // False whenever the silo's Prometheus listener is on (a pull exporter has nothing to flush); the in-memory
        // reader collects all the same, and the values the tests compare show it.
        Cluster.SiloServices.GetRequiredService<MeterProvider>().ForceFlush(5_000);
        return InMemoryMetrics.Sum(SiloMetrics, name, tags);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        await Cluster.DisposeAsync();
    }
}
