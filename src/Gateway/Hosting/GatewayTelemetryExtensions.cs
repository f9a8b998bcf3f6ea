using Actors.Contracts.Hosting;
using Actors.Gateway.Security;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Scalar.AspNetCore;

namespace Actors.Gateway.Hosting;

/// <summary>
/// What a person or a monitoring system sees of the gateway (docs/observability.md): OpenTelemetry with the shared
/// defaults plus ASP.NET Core and HttpClient, Prometheus text at <c>/metrics</c>, the Orleans Dashboard at
/// <c>/dashboard</c> and the API reference at <c>/docs</c>.
/// </summary>
internal static class GatewayTelemetryExtensions
{
    /// <summary>The Prometheus scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The Orleans Dashboard's base path.</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>The API reference page (Scalar over <c>/openapi/v1.json</c>).</summary>
    public const string DocsPath = "/docs";

    /// <summary>The setting that lets callers without credentials scrape <c>/metrics</c> (default false: operators only).</summary>
    public const string AnonymousMetricsSetting = "Gateway:Metrics:Anonymous";

    /// <summary>Adds OpenTelemetry (with the Prometheus exporter) and returns whether the dashboard is on.</summary>
    public static (TelemetryOptions Telemetry, bool Dashboard) AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.AddActorsTelemetry(
            "actors-gateway",
            metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter(),
            tracing => tracing
                // Scrapes, probes and the pages' own files are not what a trace is wanted for.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => IsTraced(context.Request.Path))
                .AddHttpClientInstrumentation());
        return (telemetry, builder.Configuration.GetValue(ActorsTelemetry.DashboardEnabledSetting, true));
    }

    /// <summary>Configures the gateway's Orleans client: grain calls carry the request's trace; the dashboard's client half.</summary>
    public static void ConfigureClient(IClientBuilder client, TelemetryOptions telemetry, bool dashboard)
    {
        if (telemetry is { Enabled: true, Traces: true })
        {
            client.AddActivityPropagation();
        }
        if (dashboard)
        {
            client.AddDashboard();
        }
    }

    /// <summary>
    /// Requires the operator role (on every type) for <c>/metrics</c> and <c>/dashboard</c>, before routing runs their
    /// endpoints. Anonymous callers pass where <c>Gateway:Auth:Anonymous</c> grants <c>operator:*</c> (<c>./actors up</c>
    /// on loopback), and for <c>/metrics</c> when <see cref="AnonymousMetricsSetting"/> is true.
    /// </summary>
    public static void UseGatewayPageGates(this WebApplication app)
    {
        if (!app.Configuration.GetValue(AnonymousMetricsSetting, false))
        {
            app.RequireRole(MetricsPath, Role.Operator);
        }
        app.RequireRole(DashboardPath, Role.Operator);
    }

    /// <summary>Maps <c>/metrics</c>, <c>/dashboard</c> and <c>/docs</c>.</summary>
    public static void MapGatewayPages(this WebApplication app)
    {
        var telemetry = app.Services.GetRequiredService<TelemetryOptions>();
        if (telemetry.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        }
        if (app.Configuration.GetValue(ActorsTelemetry.DashboardEnabledSetting, true))
        {
            // Its own JSON API is the dashboard's business, not part of this API's document.
            app.MapOrleansDashboard(DashboardPath).ExcludeFromDescription();
        }
        app.MapScalarApiReference(DocsPath, scalar => scalar
            .WithTitle("Actors HTTP API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            // A dozen routes: every one open, so the page reads top to bottom and a search finds any.
            .ExpandAllTags()
            .AddPreferredSecuritySchemes(OpenApiSecurityTransformer.SchemeName)
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl));
    }

    private static bool IsTraced(PathString path) =>
        !path.StartsWithSegments(MetricsPath) && !path.StartsWithSegments(DashboardPath) && !path.StartsWithSegments(DocsPath)
        && !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/readyz") && !path.StartsWithSegments("/openapi");
}
