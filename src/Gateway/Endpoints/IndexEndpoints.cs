using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Contracts;
using Actors.Gateway.Cluster;
using Actors.Gateway.Http;
using Actors.Gateway.Options;
using Actors.Gateway.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Actors.Gateway.Security;

namespace Actors.Gateway.Endpoints;

/// <summary><c>/v1/indexes/{type}[/{name}]</c>: declare, list, show and drop secondary indexes (docs/queries.md).</summary>
internal static class IndexEndpoints
{
    /// <summary>The largest declaration body read; a declaration is one short pointer.</summary>
    private const long MaxDeclarationBytes = 16 * 1024;

    /// <summary>Maps the routes of this group.</summary>
    public static IEndpointRouteBuilder MapIndexEndpoints(this IEndpointRouteBuilder app)
    {
        var indexes = app.MapGroup("/v1/indexes").WithTags("Indexes");

        indexes.MapGet("/{type}", ListAsync)
            .WithName("ListIndexes")
            .WithSummary("Lists the indexes declared on a type, with their state and build progress.")
            .Produces<IndexListResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRole(Role.Reader);

        indexes.MapGet("/{type}/{name}", GetAsync)
            .WithName("GetIndex")
            .WithSummary("Shows one index: its pointer, state (building or ready) and progress (0..1).")
            .Produces<IndexResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRole(Role.Reader);

        indexes.MapPut("/{type}/{name}", DeclareAsync)
            .WithName("DeclareIndex")
            .WithSummary("Declares an index on a JSON Pointer, body {\"pointer\":\"/status\"}: 201 when created (built in the background over existing roots), 200 when identical.")
            .Accepts<IndexDeclaration>(MediaTypes.Json)
            .Produces<IndexResponse>(StatusCodes.Status200OK)
            .Produces<IndexResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRole(Role.Operator);

        indexes.MapDelete("/{type}/{name}", DropAsync)
            .WithName("DropIndex")
            .WithSummary("Drops an index; documents are never touched.")
            .Produces<IndexResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRole(Role.Operator);

        return app;
    }

    private static async Task<Results<Ok<IndexListResponse>, ProblemHttpResult>> ListAsync(HttpContext context, string type, ActorsCluster cluster)
    {
        if (RootId.ValidateType(type) is { } rule)
        {
            return ProblemResults.FromError(context, ActorsError.InvalidRootId(rule));
        }
        var result = await cluster.QueryAsync(grain => grain.ListIndexesAsync(type));
        if (result.Error is { } error)
        {
            return ProblemResults.FromError(context, error);
        }
        return TypedResults.Ok(new IndexListResponse([.. result.Indexes.Select(IndexResponse.From)]));
    }

    private static async Task<Results<Ok<IndexResponse>, ProblemHttpResult>> GetAsync(HttpContext context, string type, string name, ActorsCluster cluster)
    {
        if (Validate(type, name) is { } refused)
        {
            return ProblemResults.FromError(context, refused);
        }
        var result = await cluster.IndexAsync(type, name, grain => grain.GetAsync());
        return result.Error is { } error ? ProblemResults.FromError(context, error) : TypedResults.Ok(IndexResponse.From(result.Index!));
    }

    private static async Task<Results<Ok<IndexResponse>, ProblemHttpResult>> DropAsync(HttpContext context, string type, string name, ActorsCluster cluster)
    {
        if (Validate(type, name) is { } refused)
        {
            return ProblemResults.FromError(context, refused);
        }
        var result = await cluster.IndexAsync(type, name, grain => grain.DropAsync());
        return result.Error is { } error ? ProblemResults.FromError(context, error) : TypedResults.Ok(IndexResponse.From(result.Index!));
    }

    private static async Task<Results<Created<IndexResponse>, Ok<IndexResponse>, ProblemHttpResult>> DeclareAsync(
        HttpContext context, string type, string name, ActorsCluster cluster, CancellationToken cancellationToken)
    {
        if (Validate(type, name) is { } refused)
        {
            return ProblemResults.FromError(context, refused);
        }
        if (MediaTypes.Essence(context.Request.ContentType) != MediaTypes.Json)
        {
            return ProblemResults.Create(context, ProblemTypes.UnsupportedMediaType, "Declare an index with Content-Type: application/json and the body {\"pointer\":\"/status\"}.");
        }
        var (json, bodyError) = await RequestBody.ReadJsonAsync(context.Request, MaxDeclarationBytes, cancellationToken);
        if (bodyError is not null)
        {
            return ProblemResults.Create(context, bodyError.Type, bodyError.Detail);
        }
        if (PointerOf(json!) is not { } pointer)
        {
            return ProblemResults.FromError(context, ActorsError.InvalidIndex("the body must be {\"pointer\":\"/status\"}: an object whose only member 'pointer' is a JSON Pointer string"));
        }
        var result = await cluster.IndexAsync(type, name, grain => grain.DeclareAsync(pointer));
        if (result.Error is { } error)
        {
            return ProblemResults.FromError(context, error);
        }
        var body = IndexResponse.From(result.Index!);
        return result.Created ? TypedResults.Created($"/v1/indexes/{type}/{name}", body) : TypedResults.Ok(body);
    }

    private static ActorsError? Validate(string type, string name)
    {
        if (RootId.ValidateType(type) is { } typeRule)
        {
            return ActorsError.InvalidRootId(typeRule);
        }
        return IndexNames.Validate(name) is { } nameRule ? ActorsError.InvalidIndex(nameRule) : null;
    }

    private static string? PointerOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        string? pointer = null;
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name != "pointer" || member.Value.ValueKind != JsonValueKind.String || pointer is not null)
            {
                return null;
            }
            pointer = member.Value.GetString();
        }
        return pointer;
    }
}

/// <summary>The body of <c>PUT /v1/indexes/{type}/{name}</c>.</summary>
/// <param name="Pointer">The JSON Pointer whose value (string, number or boolean) is indexed, e.g. <c>/status</c>.</param>
public sealed record IndexDeclaration(string Pointer);

/// <summary>An index as the gateway shows it.</summary>
/// <param name="Type">The root type.</param>
/// <param name="Name">The index name.</param>
/// <param name="Pointer">The indexed JSON Pointer.</param>
/// <param name="State"><c>building</c> or <c>ready</c>.</param>
/// <param name="Progress">0..1; 1 when ready.</param>
public sealed record IndexResponse(string Type, string Name, string Pointer, string State, double Progress)
{
    internal static IndexResponse From(IndexInfo index) =>
        new(index.Type, index.Name, index.Pointer, index.State == IndexState.Ready ? "ready" : "building", index.Progress);
}

/// <summary>The body of <c>GET /v1/indexes/{type}</c>.</summary>
/// <param name="Indexes">The type's indexes, by name.</param>
public sealed record IndexListResponse(IReadOnlyList<IndexResponse> Indexes);
