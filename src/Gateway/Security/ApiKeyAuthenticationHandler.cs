using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Security;

/// <summary>
/// Recognises <c>Authorization: Bearer &lt;key&gt;</c> against <see cref="GatewayAuthOptions.ApiKeys"/>. A known key
/// becomes a caller named after the key's holder with one <see cref="GatewayAuth.RoleClaim"/> per grant; an unknown
/// one fails authentication (the request then gets <c>401</c> from <see cref="RoleFilter"/>).
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (GatewayAuth.BearerToken(Request) is not { } token)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (keys.Find(token) is not { } key)
        {
            LogUnknownKey(Logger, Request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?");
            return Task.FromResult(AuthenticateResult.Fail("the API key is not one this gateway knows"));
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name) };
        claims.AddRange(key.Grants.Select(grant => new Claim(GatewayAuth.RoleClaim, grant.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, GatewayAuth.RoleClaim));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    // The key itself is never logged, only where the attempt came from.
    [LoggerMessage(1, LogLevel.Information, "Refused an unknown API key from {Remote}")]
    private static partial void LogUnknownKey(ILogger logger, string remote);
}
