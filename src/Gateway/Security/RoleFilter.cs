using Actors.Gateway.Problems;
using Microsoft.AspNetCore.Authentication;

namespace Actors.Gateway.Security;

/// <summary>
/// Lets a request through only when its caller holds <see cref="Role"/> on the route's <c>{type}</c> (routes without
/// one need the role on <c>*</c>). Otherwise: <c>401 unauthorized</c> with <c>WWW-Authenticate: Bearer</c> when the
/// request has no accepted credentials, <c>403 forbidden</c> naming the role and type when it has.
/// </summary>
internal sealed class RoleFilter(Role role) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var type = http.Request.RouteValues.TryGetValue("type", out var value) && value is string routeType ? routeType : RoleGrant.AnyType;
        return await RefuseAsync(http, role, type) is { } refused ? refused : await next(context);
    }

    /// <summary>
    /// Null when the caller holds <paramref name="role"/> on <paramref name="type"/>; otherwise the <c>401</c> or <c>403</c>
    /// problem to answer with. Also used by <see cref="RoleGate"/> for what is not a route handler (the dashboard, <c>/metrics</c>).
    /// </summary>
    public static async ValueTask<IResult?> RefuseAsync(HttpContext http, Role role, string type)
    {
        var grants = http.RequestServices.GetRequiredService<CallerGrants>();
        if (grants.Allows(http.User, role, type))
        {
            return null;
        }

        var needs = type == RoleGrant.AnyType ? $"the {Name(role)} role on every type ({Name(role)}:*)" : $"the {Name(role)} role on type '{type}' ({Name(role)}:{type} or {Name(role)}:*)";
        if (http.User.Identity?.IsAuthenticated != true)
        {
            // The middleware keeps only successes; the handlers cache their result per request, so this is not a second check.
            var failure = (await http.AuthenticateAsync()).Failure;
            http.Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
            var why = failure is null
                ? $"This request needs {needs}: send Authorization: Bearer <API key or JWT> (docs/security.md)."
                : $"The bearer token was not accepted ({Reason(failure)}); this request needs {needs} (docs/security.md).";
            return ProblemResults.Create(http, ProblemTypes.Unauthorized, why);
        }

        var held = grants.Of(http.User);
        var has = held.Count == 0 ? "no role grants" : string.Join(", ", held);
        return ProblemResults.Create(http, ProblemTypes.Forbidden,
            $"This request needs {needs}; the caller '{GatewayAuth.CallerName(http.User)}' has {has}.");
    }

    private static string Name(Role role) => role.ToString().ToLowerInvariant();

    // The API key handler's own words; for a JWT only the kind of failure, never the token's content.
    private static string Reason(Exception failure) => failure.GetType().Name switch
    {
        "SecurityTokenExpiredException" => "the JWT has expired",
        "SecurityTokenNotYetValidException" => "the JWT is not valid yet",
        "SecurityTokenInvalidAudienceException" => "the JWT is for another audience",
        "SecurityTokenInvalidIssuerException" => "the JWT is from another issuer",
        "SecurityTokenSignatureKeyNotFoundException" or "SecurityTokenInvalidSignatureException" => "the JWT's signature does not verify",
        _ when failure.Message.StartsWith("the API key", StringComparison.Ordinal) => failure.Message,
        _ => "the JWT was refused",
    };
}
