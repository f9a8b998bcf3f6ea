using System.Text.Json.Nodes;
using Actors.Gateway.Http;
using Actors.Gateway.Security;

namespace Actors.Gateway.Endpoints;

/// <summary><c>/v1/roots/{type}/{id}</c>: read and write root objects (docs/http-api.md).</summary>
internal static partial class RootsEndpoints
{
    /// <summary>Maps the routes of this group.</summary>
    public static IEndpointRouteBuilder MapRootsEndpoints(this IEndpointRouteBuilder app)
    {
        var roots = app.MapGroup("/v1/roots").WithTags("Roots");

        roots.MapGet("/{type}/{id}", GetDocumentAsync)
            .WithName("GetRoot")
            .WithSummary("Reads a root's document; ?expand=refs&depth=N resolves weak references.")
            .WithReadResponses<JsonObject>()
            .RequireRole(Role.Reader);

        roots.MapGet("/{type}/{id}/{**pointer}", GetSubtreeAsync)
            .WithName("GetRootSubtree")
            .WithSummary("Reads the subtree at a JSON Pointer: each path segment is one reference token (~0 for '~', ~1 for '/').")
            .WithReadResponses<JsonNode>()
            .RequireRole(Role.Reader);

        roots.MapPut("/{type}/{id}", PutAsync)
            .WithName("PutRoot")
            .WithSummary("Replaces the document, creating the root if absent (put).")
            .AcceptsBodiesOf<JsonObject>(HttpMethods.Put)
            .WithWriteResponses()
            .RequireRole(Role.Writer);

        roots.MapPatch("/{type}/{id}", PatchAsync)
            .WithName("PatchRoot")
            .WithSummary($"Updates the document; {MediaTypes.Takes(HttpMethods.Patch)}.")
            .AcceptsBodiesOf<JsonNode>(HttpMethods.Patch)
            .WithWriteResponses()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRole(Role.Writer);

        roots.MapDelete("/{type}/{id}", DeleteAsync)
            .WithName("DeleteRoot")
            .WithSummary("Deletes the root, leaving a tombstone that keeps its version.")
            .WithWriteResponses()
            .RequireRole(Role.Writer);

        return app;
    }

    /// <summary>Declares the bodies <paramref name="method"/> takes (<see cref="MediaTypes.WriteFormats"/>): routing refuses others with 415, and OpenAPI lists them.</summary>
    private static RouteHandlerBuilder AcceptsBodiesOf<TBody>(this RouteHandlerBuilder builder, string method)
        where TBody : notnull
    {
        var mediaTypes = MediaTypes.For(method).Select(format => format.MediaType).ToArray();
        return builder.Accepts<TBody>(mediaTypes[0], mediaTypes[1..]);
    }

    private static RouteHandlerBuilder WithReadResponses<TDocument>(this RouteHandlerBuilder builder) => builder
        .Produces<TDocument>(StatusCodes.Status200OK, MediaTypes.Json)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static RouteHandlerBuilder WithWriteResponses(this RouteHandlerBuilder builder) => builder
        .Produces<WriteResponse>(StatusCodes.Status200OK)
        .Produces<WriteResponse>(StatusCodes.Status201Created)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
