using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Actors.Gateway.Hosting;

/// <summary>
/// Declares the gateway's one authentication scheme in the OpenAPI document (docs/security.md): <c>Authorization:
/// Bearer</c> with an API key or a JWT, required by every operation but the health probes, so that <c>/docs</c> offers
/// a field for the token and generated clients send it.
/// </summary>
internal sealed class OpenApiSecurityTransformer : IOpenApiDocumentTransformer
{
    /// <summary>The scheme's name in <c>components.securitySchemes</c>.</summary>
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (Gateway:Auth:ApiKeys) or an HS256 JWT (Gateway:Auth:Jwt); roles reader, writer, operator per type. "
                + "Without it, a request has the anonymous grants (Gateway:Auth:Anonymous; ./actors up: operator:* on loopback).",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (path is "/healthz" or "/readyz" || item.Operations is null)
            {
                continue;
            }
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(requirement);
            }
        }
        return Task.CompletedTask;
    }
}
