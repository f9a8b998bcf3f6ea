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
    {
        var op = MediaTypes.Essence(context.Request.ContentType) == MediaTypes.Json ? WriteOp.Put : (WriteOp?)null;
        return WriteAsync(context, type, id, op, $"PUT takes {MediaTypes.Json}", cluster, options.Value, cancellationToken);
    }

    private static Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> PatchAsync(
        HttpContext context, string type, string id, ActorsCluster cluster, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        // The media type picks the operation (RFC 5789 §2): the two patch formats mean different things.
        var op = MediaTypes.Essence(context.Request.ContentType) switch
        {
            MediaTypes.MergePatch => WriteOp.Merge,
            MediaTypes.JsonPatch => WriteOp.Patch,
            _ => (WriteOp?)null,
        };
        return WriteAsync(context, type, id, op, $"PATCH takes {MediaTypes.MergePatch} (RFC 7386 merge) or {MediaTypes.JsonPatch} (RFC 6902 patch)", cluster, options.Value, cancellationToken);
    }

    private static Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> DeleteAsync(
        HttpContext context, string type, string id, ActorsCluster cluster, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
        => WriteAsync(context, type, id, WriteOp.Delete, string.Empty, cluster, options.Value, cancellationToken);

    private static async Task<Results<Created<WriteResponse>, Ok<WriteResponse>, ProblemHttpResult>> WriteAsync(
        HttpContext context, string type, string id, WriteOp? op, string accepted,
        ActorsCluster cluster, GatewayOptions options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!RootRoute.TryGetRoot(type, id, out var root, out var error))
        {
            return Refuse(context, error);
        }
        if (op is not { } writeOp)
        {
            var sent = string.IsNullOrWhiteSpace(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
            return ProblemResults.Create(context, ProblemTypes.UnsupportedMediaType, $"The request has {sent}; {accepted} (charset, if given, must be utf-8).");
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

        var result = await cluster.Root(root).WriteAsync(new WriteCommand(writeOp, writeId, json, ifVersion));
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
