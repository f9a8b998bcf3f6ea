using Actors.Gateway.Cluster;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Gateway.Endpoints;

/// <summary><c>/healthz</c> (liveness) and <c>/readyz</c> (readiness: the cluster answers).</summary>
internal static class HealthEndpoints
{
    /// <summary>The tag of health checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps the routes of this group.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Liveness runs no check at all: a gateway whose cluster is down is still alive and must not be restarted for it.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health");
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync })
            .WithTags("Health");
        return app;
    }

    /// <summary>Writes <c>{"status":"Healthy","checks":{"cluster":"2 active silo(s)."}}</c>, so an operator sees why.</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Description ?? entry.Value.Status.ToString());
        return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString(), checks });
    }

    /// <summary>Registers the checks behind <c>/readyz</c>.</summary>
    public static IHealthChecksBuilder AddGatewayHealthChecks(this IServiceCollection services)
        => services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);
}
