using Actors.Contracts;
using Actors.Gateway.Problems;

namespace Actors.Gateway.Http;

/// <summary>The <c>{type}/{id}</c> of a <c>/v1/roots</c> URL as a <see cref="RootId"/>.</summary>
internal static class RootRoute
{
    /// <summary>The root id, or the problem naming the rule of docs/data-model.md that was broken.</summary>
    public static bool TryGetRoot(string type, string id, out RootId root, out RequestError? error)
    {
        root = default;
        var rule = RootId.ValidateType(type) ?? RootId.ValidateId(id);
        if (rule is not null)
        {
            error = new RequestError(ProblemTypes.InvalidRootId, ActorsError.InvalidRootId(rule).Message);
            return false;
        }
        root = RootId.Create(type, id);
        error = null;
        return true;
    }

    /// <summary>The URL of <paramref name="root"/>, for <c>Location</c>.</summary>
    public static string Location(RootId root) => $"/v1/roots/{root.Type}/{root.Id}";
}
