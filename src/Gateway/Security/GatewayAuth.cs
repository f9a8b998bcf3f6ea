using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Actors.Gateway.Security;

/// <summary>
/// Authentication of gateway callers (docs/security.md): one <c>Authorization: Bearer</c> header carries either an API
/// key or a JWT (told apart by the JWT's two dots); both end as a caller with role grants, which
/// <see cref="RoleFilter"/> checks per route and type.
/// </summary>
internal static class GatewayAuth
{
    /// <summary>The default scheme, which forwards to the API key or the JWT scheme.</summary>
    public const string Scheme = "Actors";

    /// <summary>The API key scheme.</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>The claim type API key callers carry their grants in.</summary>
    public const string RoleClaim = "actors:role";

    /// <summary>Adds authentication and the grants' validation.</summary>
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayAuthOptions>().BindConfiguration(GatewayAuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayAuthOptions>, GatewayAuthOptionsValidator>();
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<CallerGrants>();

        var jwt = configuration.GetSection(GatewayAuthOptions.SectionName).GetSection("Jwt").Get<JwtOptions>() ?? new JwtOptions();
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or JWT", policy => policy.ForwardDefaultSelector = context =>
                jwt.Enabled && BearerToken(context.Request) is { } token && token.Count(c => c == '.') == 2
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, _ => { });
        if (jwt.Enabled)
        {
            authentication.AddJwtBearer(bearer =>
            {
                // Keep claim names as they are in the token ("roles", not a long URI).
                bearer.MapInboundClaims = false;
                bearer.Audience = jwt.Audience;
                bearer.TokenValidationParameters.ValidAudience = jwt.Audience;
                bearer.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
                bearer.TokenValidationParameters.NameClaimType = "sub";
                if (!string.IsNullOrEmpty(jwt.Authority))
                {
                    bearer.Authority = jwt.Authority;
                    bearer.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                    bearer.TokenValidationParameters.ValidateIssuer = true;
                }
                else
                {
                    bearer.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey!));
                    bearer.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                    bearer.TokenValidationParameters.ValidateIssuer = !string.IsNullOrEmpty(jwt.Issuer);
                    bearer.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
            });
        }
        return services;
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }

    /// <summary>Requires <paramref name="role"/> on the route's <c>{type}</c> (or on every type, for routes without one).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(new RoleFilter(role));

    /// <summary>The name a caller is logged and shown by.</summary>
    public static string CallerName(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirst("sub")?.Value ?? "(unnamed)";
}
