using Microsoft.Extensions.Options;

namespace Actors.Gateway.Security;

/// <summary>The configured API keys, hashed once at startup, with their holders and grants.</summary>
internal sealed class ApiKeyRing
{
    private readonly List<(byte[] Hash, KnownKey Key)> _keys;

    public ApiKeyRing(IOptions<GatewayAuthOptions> options)
    {
        _keys = options.Value.ApiKeys.Select(key =>
        {
            var hash = string.IsNullOrEmpty(key.Sha256) ? ApiKeyHash.Of(key.Key!) : Convert.FromHexString(key.Sha256);
            var grants = key.Roles.Select(text => RoleGrant.TryParse(text, out var grant, out _) ? grant : null).OfType<RoleGrant>().ToArray();
            return (hash, new KnownKey(key.Name, grants));
        }).ToList();
    }

    /// <summary>The key's holder and grants, or null when no configured key matches.</summary>
    public KnownKey? Find(string presented)
    {
        var hash = ApiKeyHash.Of(presented);
        KnownKey? found = null;
        // Every key is compared, so the time taken does not depend on which one matched.
        foreach (var (configured, key) in _keys)
        {
            if (ApiKeyHash.Matches(hash, configured))
            {
                found ??= key;
            }
        }
        return found;
    }

    /// <summary>A key's holder and grants.</summary>
    public sealed record KnownKey(string Name, IReadOnlyList<RoleGrant> Grants);
}
