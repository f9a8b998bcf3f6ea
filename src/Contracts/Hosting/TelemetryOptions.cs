namespace Actors.Contracts.Hosting;

/// <summary>
/// What a host exports (docs/observability.md), bound from <c>Actors:Telemetry</c> and, for the Prometheus listener of
/// silos and agents, <c>Actors:Metrics</c>. The OTLP exporter follows OpenTelemetry's own variables
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, …), read from configuration so they may
/// also be given as settings.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section of the switches.</summary>
    public const string SectionName = "Actors:Telemetry";

    /// <summary>The configuration section of the Prometheus listener.</summary>
    public const string MetricsSectionName = "Actors:Metrics";

    /// <summary>Collects metrics and traces at all (default true); false only to measure what they cost.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Collects traces: null (the default) when an OTLP endpoint is configured, since without an exporter every span
    /// would be built for nothing; true or false to decide (e.g. true for an exporter added in code, as tests do).
    /// </summary>
    public bool? Traces { get; set; }

    /// <summary>
    /// The port of a Prometheus-format <c>/metrics</c> listener (silos and agents; gateways serve <c>/metrics</c> on their
    /// own port). 0, the default, starts none.
    /// </summary>
    public int MetricsPort { get; set; }

    /// <summary>The host name the listener answers to: <c>localhost</c> (default), or <c>+</c> for every address (containers).</summary>
    public string MetricsHost { get; set; } = "localhost";
}
