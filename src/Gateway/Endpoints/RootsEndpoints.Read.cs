using System.Text;
using Actors.Contracts;
using Actors.Gateway.Cluster;
using Actors.Gateway.Expansion;
using Actors.Gateway.Http;
using Actors.Gateway.Problems;
using Actors.Gateway.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Gateway.Endpoints;

internal static partial class RootsEndpoints
{
    private static Task<Results<ContentHttpResult, ProblemHttpResult>> GetDocumentAsync(
        HttpContext context, string type, string id, string? expand, string? depth,
        ActorsCluster cluster, RefExpander expander, CancellationToken cancellationToken)
        => ReadAsync(context, type, id, wholeDocument: true, expand, depth, cluster, expander, cancellationToken);

    private static Task<Results<ContentHttpResult, ProblemHttpResult>> GetSubtreeAsync(
        HttpContext context, string type, string id, string? expand, string? depth,
        ActorsCluster cluster, RefExpander expander, CancellationToken cancellationToken)
        => ReadAsync(context, type, id, wholeDocument: false, expand, depth, cluster, expander, cancellationToken);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadAsync(
        HttpContext context, string type, string id, bool wholeDocument, string? expand, string? depth,
        ActorsCluster cluster, RefExpander expander, CancellationToken cancellationToken)
    {
        if (!RootRoute.TryGetRoot(type, id, out var root, out var error))
        {
            return Refuse(context, error);
        }
        var pointer = string.Empty;
        if (!wholeDocument && !PointerPath.TryGetPointer(context.Request, out pointer, out error))
        {
            return Refuse(context, error);
        }
        if (!ExpandQuery.TryParse(expand, depth, out var levels, out error))
        {
            return Refuse(context, error);
        }

        var result = await cluster.CallAsync(root, grain => grain.ReadAsync(pointer.Length == 0 ? null : pointer));
        if (!result.Succeeded)
        {
            return ProblemResults.FromError(context, result.Error);
        }
        // The ETag is the root's version even for a subtree or an expansion: it is what If-Match needs for the next write.
        context.Response.Headers.ETag = EntityTags.Format(result.Version);
        // Expansion reads other roots, possibly of other types: each needs the caller's reader role on its own type.
        var grants = context.RequestServices.GetRequiredService<CallerGrants>();
        var json = levels > 0
            ? await expander.ExpandAsync(root, result.Json, levels, type => grants.Allows(context.User, Role.Reader, type), cancellationToken)
            : result.Json;
        return TypedResults.Text(json, MediaTypes.Json, Encoding.UTF8);
    }

    private static ProblemHttpResult Refuse(HttpContext context, RequestError? error)
        => ProblemResults.Create(context, error!.Type, error.Detail);
}
