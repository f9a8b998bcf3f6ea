using Actors.Gateway.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Actors.Gateway.Hosting;

/// <summary>
/// Lists <c>If-Match</c> and <c>Idempotency-Key</c> on the write operations of the OpenAPI document. The endpoints read
/// the raw headers themselves (to refuse repeated or malformed ones), so parameter binding cannot describe them.
/// </summary>
internal sealed class WriteHeadersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var method = context.Description.HttpMethod;
        if (method is not ("PUT" or "PATCH" or "DELETE") || context.Description.RelativePath?.StartsWith("v1/roots/", StringComparison.Ordinal) != true)
        {
            return Task.CompletedTask;
        }
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Description = "Write only if the root is at this version: one strong entity tag, e.g. \"3\". Mismatch → 412.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyKeys.HeaderName,
            In = ParameterLocation.Header,
            Description = $"1-{IdempotencyKeys.MaxLength} visible ASCII characters; the same request with the same key is applied once. Same key, different request → 422.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeys.MaxLength },
        });
        return Task.CompletedTask;
    }
}
