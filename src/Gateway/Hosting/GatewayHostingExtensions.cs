using Actors.Contracts.Hosting;
using Actors.Gateway.Xmpp;
using Actors.Gateway.Cluster;
using Actors.Gateway.Endpoints;
using Actors.Gateway.Expansion;
using Actors.Gateway.Http;
using Actors.Gateway.Options;
using Actors.Gateway.Problems;
using Actors.Gateway.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Hosting;

/// <summary><c>AddActorsGateway()</c> and <c>MapActorsGateway()</c>: the whole HTTP gateway in two calls.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Adds the gateway's services: the Orleans client for the cluster of the <c>Actors</c> section (connected in the
    /// background), the <c>Gateway</c> options, problem details, health checks and the OpenAPI document.
    /// </summary>
    public static WebApplicationBuilder AddActorsGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
            {
                kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodyBytes;
                kestrel.Limits.MaxConcurrentConnections = gateway.Value.MaxConcurrentConnections;
            });

        services.AddGatewayAuth(builder.Configuration);
        services.AddCallerRateLimiting();
        var (telemetry, dashboard) = builder.AddGatewayTelemetry();
        builder.AddActorsClient(configureClient: client => GatewayTelemetryExtensions.ConfigureClient(client, telemetry, dashboard));
        ConnectInBackground(services);
        services.AddSingleton<SiloConnectionWatch>();
        services.AddSingleton<IClusterConnectionStatusObserver>(provider => provider.GetRequiredService<SiloConnectionWatch>());
        services.AddSingleton<ActorsCluster>();
        services.AddSingleton<RefExpander>();

        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Responses the framework produces itself (no route, wrong method) get this API's stable types too.
            var problem = context.ProblemDetails;
            if (problem.Type is null || !problem.Type.StartsWith(ProblemType.BaseUri, StringComparison.Ordinal))
            {
                var type = problem.Status switch
                {
                    StatusCodes.Status404NotFound => ProblemTypes.RouteNotFound,
                    StatusCodes.Status405MethodNotAllowed => ProblemTypes.MethodNotAllowed,
                    StatusCodes.Status413PayloadTooLarge => ProblemTypes.TooLarge,
                    StatusCodes.Status415UnsupportedMediaType => ProblemTypes.UnsupportedMediaType,
                    >= 500 => ProblemTypes.InternalError,
                    _ => ProblemTypes.BadRequest,
                };
                problem.Type = type.Uri;
                problem.Title = type.Title;
                problem.Detail ??= DefaultDetail(context.HttpContext, type);
                if (type == ProblemTypes.UnsupportedMediaType && HttpMethods.IsPatch(context.HttpContext.Request.Method))
                {
                    context.HttpContext.Response.Headers["Accept-Patch"] = MediaTypes.AcceptPatch;
                }
            }
        });
        services.AddExceptionHandler<GatewayExceptionHandler>();
        services.AddGatewayHealthChecks();
        services.AddGatewayXmpp(builder.Configuration);
        services.AddOpenApi(openApi => openApi
            .AddOperationTransformer<WriteHeadersTransformer>()
            .AddOperationTransformer<OpenApiExamplesTransformer>()
            .AddDocumentTransformer<OpenApiSecurityTransformer>()
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Actors HTTP API";
                document.Info.Description = "Roots are JSON documents addressed as {type}/{id}; every write is idempotent (Idempotency-Key) and may be conditional (If-Match). "
                    + "Errors are RFC 9457 problems with a stable type under https://actors.dev/problems/. See docs/http-api.md.";
                return Task.CompletedTask;
            }));
        return builder;
    }

    /// <summary>Adds the gateway's middleware and maps every route of docs/http-api.md.</summary>
    public static WebApplication MapActorsGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.Use(GatewayRequestRate.CountAsync);
        // Before any endpoint: routing has already matched the path without its dot segments, the endpoints would read it with them.
        app.Use(RequestPath.RefuseDotSegmentsAsync);
        app.UseStatusCodePages();
        // Only identifies the caller; each route's RoleFilter decides, per type.
        app.UseAuthentication();
        app.UseGatewayPageGates();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapGatewayPages();
        app.MapHealthEndpoints();
        app.MapRootsEndpoints();
        app.MapQueryEndpoints();
        app.MapIndexEndpoints();
        app.MapClusterEndpoints();
        return app;
    }

    /// <summary>What to fix, for the responses routing produces before any endpoint runs.</summary>
    private static string? DefaultDetail(HttpContext context, ProblemType type)
    {
        if (type == ProblemTypes.RouteNotFound)
        {
            return "No route matches this URL; roots live at /v1/roots/{type}/{id}, lists and queries at /v1/roots/{type}, indexes at /v1/indexes/{type} (see /openapi/v1.json).";
        }
        if (type == ProblemTypes.UnsupportedMediaType)
        {
            // Routing refuses a Content-Type the endpoint does not declare (its Accepts metadata) before the endpoint runs.
            return MediaTypes.UnsupportedDetail(context.Request);
        }
        if (type == ProblemTypes.MethodNotAllowed)
        {
            return $"{context.Request.Method} is not allowed on this URL; see /openapi/v1.json for the methods each route takes.";
        }
        return null;
    }

    /// <summary>
    /// Replaces the Orleans client's own hosted service, which blocks host start-up until a silo answers (and fails it
    /// after Orleans' retries), with <see cref="ClusterConnection"/>, which connects in the background and retries until
    /// stopped.
    /// </summary>
    private static void ConnectInBackground(IServiceCollection services)
    {
        var orleans = typeof(IClusterClient).Assembly;
        var clientHostedServices = services
            .Where(descriptor => descriptor.ServiceType == typeof(IHostedService)
                && descriptor.ImplementationFactory?.Method.DeclaringType?.Assembly == orleans)
            .ToList();
        if (clientHostedServices.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected the Orleans client to register one hosted service, found {clientHostedServices.Count}; {nameof(ConnectInBackground)} needs updating for this Orleans version.");
        }
        services.Remove(clientHostedServices[0]);
        services.AddSingleton<ClusterConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterConnection>());
        // Registered after Orleans' default, so it is the one the client resolves.
        services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectRetryFilter>();
    }
}
