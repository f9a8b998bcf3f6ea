using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Security;

/// <summary>
/// The role grants of the caller of a request: an authenticated caller's from its claims (API key grants, or the JWT's
/// role claim — one grant per value); an anonymous request's from <see cref="GatewayAuthOptions.Anonymous"/>.
/// Claim values that are not grants are ignored: a token from a shared identity provider may carry other roles.
/// </summary>
internal sealed class CallerGrants(IOptions<GatewayAuthOptions> options)
{
    private readonly RoleGrant[] _anonymous = Parse(options.Value.Anonymous);
    private readonly string _jwtRoleClaim = options.Value.Jwt.RoleClaim;

    /// <summary>Whether an anonymous request has any grant at all (then the gateway was opened on purpose).</summary>
    public bool AnonymousAllowed => _anonymous.Length > 0;

    /// <summary>The grants of <paramref name="user"/>.</summary>
    public IReadOnlyList<RoleGrant> Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return _anonymous;
        }
        return Parse(user.Claims
            .Where(claim => claim.Type == GatewayAuth.RoleClaim || claim.Type == _jwtRoleClaim)
            .Select(claim => claim.Value));
    }

    /// <summary>Whether <paramref name="user"/> holds <paramref name="role"/> on <paramref name="type"/>.</summary>
    public bool Allows(ClaimsPrincipal user, Role role, string type) => Of(user).Any(grant => grant.Allows(role, type));

    private static RoleGrant[] Parse(IEnumerable<string> texts) =>
        texts.Select(text => RoleGrant.TryParse(text, out var grant, out _) ? grant : null).OfType<RoleGrant>().ToArray();
}
