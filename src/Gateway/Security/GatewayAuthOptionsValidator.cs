using System.Text;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Security;

/// <summary>Fails startup with a message naming the setting when <c>Gateway:Auth</c> cannot work as written.</summary>
internal sealed class GatewayAuthOptionsValidator : IValidateOptions<GatewayAuthOptions>
{
    /// <summary>The shortest API key accepted: 16 characters, so a key cannot be guessed in a lifetime of requests.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The shortest HMAC-SHA256 signing key: 32 bytes, the hash's own size.</summary>
    public const int MinSigningKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, GatewayAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = GatewayAuthOptions.SectionName;
        CheckGrants(failures, $"{section}:Anonymous", options.Anonymous);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var where = $"{section}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{where}:Name is empty; name the key's holder (it is logged instead of the key).");
            }
            var hasKey = !string.IsNullOrEmpty(key.Key);
            var hasHash = !string.IsNullOrEmpty(key.Sha256);
            if (hasKey == hasHash)
            {
                failures.Add($"{where} needs exactly one of Key and Sha256.");
            }
            else if (hasKey && key.Key!.Length < MinKeyLength)
            {
                failures.Add($"{where}:Key is {key.Key.Length} characters; use at least {MinKeyLength} (e.g. openssl rand -hex 24).");
            }
            else if (hasHash && !ApiKeyHash.TryParseHex(key.Sha256!, out _))
            {
                failures.Add($"{where}:Sha256 must be 64 hex digits (printf %s \"$key\" | sha256sum).");
            }
            if (key.Roles.Count == 0)
            {
                failures.Add($"{where}:Roles is empty; give the key at least one grant such as reader:*.");
            }
            CheckGrants(failures, $"{where}:Roles", key.Roles);
        }
        if (options.Jwt.SigningKey is { Length: > 0 } signingKey && Encoding.UTF8.GetByteCount(signingKey) < MinSigningKeyBytes)
        {
            failures.Add($"{section}:Jwt:SigningKey must be at least {MinSigningKeyBytes} bytes (e.g. openssl rand -base64 48).");
        }
        if (!string.IsNullOrEmpty(options.Jwt.SigningKey) && !string.IsNullOrEmpty(options.Jwt.Authority))
        {
            failures.Add($"{section}:Jwt: set either SigningKey (tokens you mint) or Authority (an OpenID Connect issuer), not both.");
        }
        if (string.IsNullOrWhiteSpace(options.Jwt.RoleClaim))
        {
            failures.Add($"{section}:Jwt:RoleClaim is empty; name the claim that carries the role grants (default roles).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckGrants(List<string> failures, string where, IEnumerable<string> grants)
    {
        foreach (var grant in grants)
        {
            if (!RoleGrant.TryParse(grant, out _, out var error))
            {
                failures.Add($"{where}: {error}.");
            }
        }
    }
}
