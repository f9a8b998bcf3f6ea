using System.Globalization;
using System.Threading.RateLimiting;
using Actors.Gateway.Options;
using Actors.Gateway.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Security;

/// <summary>
/// Each caller's share of the gateway (DESIGN §10, limits per caller): a token bucket per identity — the authenticated
/// caller, or the client's IP address without credentials — so one busy or hostile caller cannot starve the others.
/// Runs after authentication, so a caller is known by who it is, not where it connects from.
/// </summary>
internal static class CallerRateLimiting
{
    /// <summary>Adds the limiter (a no-op partition when <see cref="GatewayOptions.RequestsPerSecondPerCaller"/> is 0).</summary>
    public static IServiceCollection AddCallerRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
                if (options.RequestsPerSecondPerCaller == 0 || context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }
                // Refill about ten times a second, in whole tokens, at exactly the configured rate.
                var tokens = Math.Max(1, options.RequestsPerSecondPerCaller / 10);
                return RateLimitPartition.GetTokenBucketLimiter(CallerKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.BurstPerCaller,
                    TokensPerPeriod = tokens,
                    ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokens / options.RequestsPerSecondPerCaller),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problem = ProblemResults.Create(http, ProblemTypes.RateLimited,
                    $"This caller made more than its share of requests ({CallerKey(http)}); wait {retryAfter} s (Retry-After) and slow down. The limit is Gateway:RequestsPerSecondPerCaller.");
                await problem.ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>The partition of a request: its authenticated caller, else its remote address.</summary>
    private static string CallerKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
            ? "caller " + GatewayAuth.CallerName(context.User)
            : "address " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
