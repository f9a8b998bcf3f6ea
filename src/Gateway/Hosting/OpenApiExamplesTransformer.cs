using System.Globalization;
using System.Text.Json.Nodes;
using Actors.Contracts;
using Actors.Gateway.Problems;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Actors.Gateway.Hosting;

/// <summary>
/// Examples for the API reference (<c>/docs</c>): a request body for every write and index declaration, a write
/// response, and for every problem status the problem types it may carry (from <see cref="ProblemTypes.All"/>, so a new
/// type shows up by itself) with an example of the first.
/// </summary>
internal sealed class OpenApiExamplesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = context.Description.RelativePath ?? string.Empty;
        var method = context.Description.HttpMethod ?? string.Empty;
        if (operation.RequestBody?.Content is { } bodies)
        {
            foreach (var (mediaType, content) in bodies)
            {
                content.Example = RequestExample(path, method, mediaType);
            }
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response.Content is null)
            {
                continue;
            }
            foreach (var (mediaType, content) in response.Content)
            {
                if (mediaType == "application/problem+json" && int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    var types = ProblemTypes.All.Where(t => t.Status == code).ToList();
                    if (types.Count > 0)
                    {
                        response.Description = $"{response.Description} — problem types of this status: {string.Join(", ", types.Select(t => t.Name))}".TrimStart(' ', '—');
                        content.Example = new JsonObject
                        {
                            ["type"] = types[0].Uri,
                            ["title"] = types[0].Title,
                            ["status"] = code,
                            ["detail"] = "What went wrong and what to fix, in one sentence.",
                        };
                    }
                }
                else if (path.StartsWith("v1/roots/", StringComparison.Ordinal) && method is "PUT" or "PATCH" or "DELETE" && status is "200" or "201")
                {
                    content.Example = new JsonObject
                    {
                        ["root"] = "topic/42",
                        ["version"] = 4,
                        ["duplicate"] = false,
                    };
                }
            }
        }
        return Task.CompletedTask;
    }

    private static JsonNode? RequestExample(string path, string method, string mediaType)
    {
        if (path.StartsWith("v1/indexes/", StringComparison.Ordinal))
        {
            return new JsonObject { ["pointer"] = "/author" };
        }
        // The op this method and media type select (WriteOps, the one list of write operations).
        var op = WriteOps.ForHttpMethod(method).FirstOrDefault(o => o.MediaType is null || o.MediaType == mediaType)?.Op;
        return op switch
        {
            WriteOp.Put => JsonNode.Parse("""{"title":"Hello","author":{"$ref":"user/ada"},"replies":[]}"""),
            WriteOp.Merge => JsonNode.Parse("""{"title":"Hello again","draft":null}"""),
            WriteOp.Patch => JsonNode.Parse("""[{"op":"test","path":"/title","value":"Hello"},{"op":"replace","path":"/title","value":"Hi"},{"op":"add","path":"/replies/-","value":{"body":"First!"}}]"""),
            _ => null,
        };
    }
}
