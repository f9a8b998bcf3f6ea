using System.Text.Json.Nodes;

namespace Actors.Silo.Documents;

/// <summary>RFC 7386 JSON Merge Patch.</summary>
/// <remarks>
/// RFC 7386 §2, restated: when the patch is an object, the target becomes an object (a non-object target is replaced
/// by <c>{}</c>); each patch member whose value is null removes that member from the target, and every other member is
/// merged recursively into the target's member of the same name. A patch that is not an object replaces the target
/// whole. Because a member merged into an absent target starts from <c>{}</c>, nulls nested in new members vanish too.
/// </remarks>
internal static class MergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/> and returns the result. Both trees are consumed:
    /// the target is changed in place and nodes of the patch are moved into it, so pass trees you own, with no parent.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch;
        }

        var result = target as JsonObject ?? [];

        // Take the members out first: a node has one parent, and moving one while enumerating would break the loop.
        var members = patchObject.ToArray();
        patchObject.Clear();
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            result.TryGetPropertyValue(name, out var current);
            var merged = Apply(current, value);
            if (!ReferenceEquals(merged, current))
            {
                result[name] = merged;
            }
        }

        return result;
    }
}
