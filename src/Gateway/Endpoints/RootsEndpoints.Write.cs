using Actors.Contracts;
using Actors.Gateway.Cluster;
using Actors.Gateway.Http;
using Actors.Gateway.Options;
using Actors.Gateway.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Endpoints;

internal static partial class RootsEndpoints
{
    private static Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> PutAsync(
        HttpContext context, string type, string id, ActorsCluster cluster, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
        => WriteAsync(context, type, id, MediaTypes.Op(HttpMethods.Put, context.Request.ContentType), cluster, options.Value, cancellationToken);

    private static Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> PatchAsync(
        HttpContext context, string type, string id, ActorsCluster cluster, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
        => WriteAsync(context, type, id, MediaTypes.Op(HttpMethods.Patch, context.Request.ContentType), cluster, options.Value, cancellationToken);

    private static Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> DeleteAsync(
        HttpContext context, string type, string id, ActorsCluster cluster, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
        => WriteAsync(context, type, id, WriteOp.Delete, cluster, options.Value, cancellationToken);

    private static async Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> WriteAsync(
        HttpContext context, string type, string id, WriteOp? op,
        ActorsCluster cluster, GatewayOptions options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!RootRoute.TryGetRoot(type, id, out var root, out var error))
        {
            return Refuse(context, error);
        }
        if (op is not { } writeOp)
        {
            // Routing refuses media types the route does not list; this catches a listed one with another charset.
            return ProblemResults.Create(context, ProblemTypes.UnsupportedMediaType, MediaTypes.UnsupportedDetail(request));
        }
        if (!EntityTags.TryParseIfMatch(request.Headers.IfMatch, out var ifVersion, out error)
            || !IdempotencyKeys.TryGetWriteId(request.Headers[IdempotencyKeys.HeaderName], out var writeId, out error))
        {
            return Refuse(context, error);
        }
        string? json = null;
        if (writeOp != WriteOp.Delete)
        {
            (json, error) = await RequestBody.ReadJsonAsync(request, options.MaxRequestBodyBytes, cancellationToken);
            if (error is not null)
            {
                return Refuse(context, error);
            }
        }

        var result = await cluster.CallAsync(root, grain => grain.WriteAsync(new WriteCommand(writeOp, writeId, json, ifVersion)));
        if (!result.Succeeded)
        {
            return ProblemResults.FromError(context, result.Error);
        }
        context.Response.Headers.ETag = EntityTags.Format(result.Version);
        var body = new WriteResponse(result.Root, result.Version, result.Duplicate, writeOp == WriteOp.Delete ? true : null);
        return result.Created && writeOp != WriteOp.Delete
            ? TypedResults.Created(RootRoute.Location(root), body)
            : TypedResults.Ok(body);
    }
}
