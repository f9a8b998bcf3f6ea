using System.Text;
using System.Text.Json;
using Actors.Contracts;
using Actors.Gateway.Cluster;
using Actors.Gateway.Http;
using Actors.Gateway.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Actors.Gateway.Security;

namespace Actors.Gateway.Endpoints;

/// <summary><c>GET /v1/roots/{type}</c>: list a type, or query one of its indexes, a page at a time (docs/queries.md).</summary>
internal static class QueryEndpoints
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapQueryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/roots/{type}", QueryAsync)
            .WithTags("Queries")
            .WithName("QueryRoots")
            .WithSummary("Lists the roots of a type in root-id order, or those whose indexed value matches (index=&eq= | ge/gt/le/lt | prefix), a page at a time: limit, after=<next>, order, include=doc, filter=<pointer>,<op>,<json>.")
            .Produces<QueryPageResponse>(StatusCodes.Status200OK, MediaTypes.Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRole(Role.Reader);
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> QueryAsync(HttpContext context, string type, ActorsCluster cluster)
    {
        var parameters = context.Request.Query.SelectMany(pair => pair.Value.Select(value => KeyValuePair.Create(pair.Key, value ?? "")));
        if (!RootQueryParser.TryParse(type, parameters, out var query, out var error))
        {
            return ProblemResults.FromError(context, error!);
        }
        var page = await cluster.QueryAsync(grain => grain.QueryAsync(query));
        if (!page.Succeeded)
        {
            return ProblemResults.FromError(context, page.Error);
        }
        return TypedResults.Text(Format(page), MediaTypes.Json, Encoding.UTF8);
    }

    /// <summary>
    /// The page as <c>{"items":[{"root","version"[,"document"]}],"next"}</c>, with each document written as the JSON it
    /// is (not re-parsed into a tree and not a string).
    /// </summary>
    internal static string Format(QueryPage page)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                writer.WriteStartObject();
                writer.WriteString("root", item.Root);
                writer.WriteNumber("version", item.Version);
                if (item.Document is { } document)
                {
                    writer.WritePropertyName("document");
                    writer.WriteRawValue(document, skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (page.Next is { } next)
            {
                writer.WriteString("next", next);
            }
            else
            {
                writer.WriteNull("next");
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>The body of a query page, for the OpenAPI document (the endpoint writes it directly).</summary>
/// <param name="Items">The roots of the page, in the query's order.</param>
/// <param name="Next">The token for <c>after=</c> to read the next page; null when nothing can remain.</param>
public sealed record QueryPageResponse(IReadOnlyList<QueryItemResponse> Items, string? Next);

/// <summary>One root of a query page.</summary>
/// <param name="Root">The root, <c>type/id</c>.</param>
/// <param name="Version">Its version as of the read.</param>
/// <param name="Document">Its document, with <c>include=doc</c>.</param>
public sealed record QueryItemResponse(string Root, long Version, JsonElement? Document);
