namespace Actors.Gateway.Security;

/// <summary>
/// Who may call the gateway (docs/security.md), bound from <c>Gateway:Auth</c> (environment <c>Gateway__Auth__…</c>).
/// With nothing configured every request except the health and OpenAPI routes gets <c>401</c>: access is opened
/// explicitly, never by default.
/// </summary>
public sealed class GatewayAuthOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Gateway:Auth";

    /// <summary>
    /// The roles of a request without credentials, e.g. <c>["operator:*"]</c> for a gateway on loopback (what
    /// <c>./actors up</c> sets, and says so). Empty (the default): anonymous requests get <c>401</c>.
    /// </summary>
    public IList<string> Anonymous { get; } = [];

    /// <summary>Static API keys, sent as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public IList<ApiKeyOptions> ApiKeys { get; } = [];

    /// <summary>JSON Web Tokens, sent as <c>Authorization: Bearer &lt;jwt&gt;</c>; off while neither a signing key nor an authority is set.</summary>
    public JwtOptions Jwt { get; set; } = new();
}

/// <summary>One API key: who it is (for logs), how to recognise it, and its roles.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>A name for the key's holder; logged instead of the key.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The key itself (from an environment variable or a secret store, at least 16 characters); or set <see cref="Sha256"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The SHA-256 of the key as 64 hex digits (<c>printf %s "$key" | sha256sum</c>), so the configuration need not hold the key.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The key's role grants, e.g. <c>["writer:orders", "reader:*"]</c>.</summary>
    public IList<string> Roles { get; } = [];
}

/// <summary>How bearer JWTs are validated (Microsoft.AspNetCore.Authentication.JwtBearer).</summary>
public sealed class JwtOptions
{
    /// <summary>An OpenID Connect issuer whose discovery document gives the signing keys (e.g. a Keycloak realm URL).</summary>
    public string? Authority { get; set; }

    /// <summary>A symmetric HMAC-SHA256 key, at least 32 bytes of UTF-8, for tokens the operator mints; instead of <see cref="Authority"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The required <c>iss</c>; with <see cref="Authority"/>, the authority's issuer when unset.</summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c>.</summary>
    public string Audience { get; set; } = "actors";

    /// <summary>The claim that holds the role grants (one per value, or an array).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Whether JWTs are accepted at all.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(SigningKey);
}
