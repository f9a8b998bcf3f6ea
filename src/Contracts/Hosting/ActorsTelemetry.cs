using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Actors.Contracts.Hosting;

/// <summary>
/// The OpenTelemetry defaults every Actors host shares (eShop's ServiceDefaults): the project's meter and activity
/// source, Orleans' meter and activity sources, the .NET runtime's metrics, an OTLP exporter when an endpoint is
/// configured, and a Prometheus listener when <c>Actors:Metrics:Port</c> is set. Each host adds what is its own (the
/// gateway: ASP.NET Core and HttpClient instrumentation, <c>/metrics</c> on its port).
/// </summary>
public static class ActorsTelemetry
{
    /// <summary>
    /// The name of the project's meter, shared by every component's <c>…Instruments</c> class, so that
    /// <c>dotnet-counters monitor --counters actors</c> and Prometheus (<c>actors_…</c>) see them all. Do not change it:
    /// dashboards and alerts depend on it.
    /// </summary>
    public const string MeterName = "actors";

    /// <summary>The name of the project's activity source (spans such as the storage write and its replication wait).</summary>
    public const string ActivitySourceName = "actors";

    /// <summary>Orleans' meter (grain calls, activations, messaging, membership).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources (grain calls as spans, with <c>AddActivityPropagation</c> on client and silo).</summary>
    public const string OrleansActivitySources = "Microsoft.Orleans.*";

    /// <summary>
    /// Whether silos collect the Orleans Dashboard's statistics and gateways serve it at <c>/dashboard</c> (default
    /// true). Gateways and silos must agree: a gateway's dashboard reads what the silos collect.
    /// </summary>
    public const string DashboardEnabledSetting = "Actors:Dashboard:Enabled";

    /// <summary>The OpenTelemetry variable (or setting) that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The project's version, for meters and activity sources.</summary>
    public static string Version { get; } =
        (typeof(ActorsTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>
    /// Adds OpenTelemetry to a host as <paramref name="serviceName"/> (<c>actors-silo</c>, <c>actors-gateway</c>, …), with
    /// the settings of <see cref="TelemetryOptions"/>. <paramref name="metrics"/> and <paramref name="tracing"/> add what
    /// is the host's own. Traces only with an OTLP endpoint or <c>Actors:Telemetry:Traces=true</c>; nothing at all when
    /// <c>Actors:Telemetry:Enabled</c> is false.
    /// </summary>
    /// <returns>The options that were read, so a host can act on them (e.g. map <c>/metrics</c>).</returns>
    public static TelemetryOptions AddActorsTelemetry(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<MeterProviderBuilder>? metrics = null,
        Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        var options = new TelemetryOptions();
        builder.Configuration.GetSection(TelemetryOptions.SectionName).Bind(options);
        options.MetricsPort = builder.Configuration.GetValue($"{TelemetryOptions.MetricsSectionName}:Port", options.MetricsPort);
        options.MetricsHost = builder.Configuration.GetValue($"{TelemetryOptions.MetricsSectionName}:Host", options.MetricsHost) ?? "localhost";
        if (options.MetricsPort is < 0 or > 65535)
        {
            throw new InvalidOperationException(
                $"{TelemetryOptions.MetricsSectionName}:Port is {options.MetricsPort}; use 0 (no listener) or a TCP port 1-65535 (docs/configuration.md).");
        }
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return options;
        }

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        options.Traces ??= otlp;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: Version, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(meters =>
            {
                meters.AddMeter(MeterName, OrleansMeterName).AddRuntimeInstrumentation();
                if (options.MetricsPort > 0)
                {
                    meters.AddPrometheusHttpListener(listener =>
                    {
                        listener.Host = options.MetricsHost;
                        listener.Port = options.MetricsPort;
                    });
                }
                metrics?.Invoke(meters);
            });
        if (options.Traces == true)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource(ActivitySourceName, OrleansActivitySources);
                tracing?.Invoke(traces);
            });
        }
        if (otlp)
        {
            // Logs go along only to a collector: the console keeps its own logger either way.
            builder.Logging.AddOpenTelemetry(logs =>
            {
                logs.IncludeFormattedMessage = true;
                logs.IncludeScopes = true;
            });
            telemetry.UseOtlpExporter();
        }
        return options;
    }
}
