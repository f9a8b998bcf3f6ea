using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>Checks sizes and depths against <see cref="DocumentLimits"/>, returning TooLarge / TooDeep errors.</summary>
internal static class DocumentLimitsChecker
{
    /// <summary>A <see cref="ActorsErrorKind.TooLarge"/> error when <paramref name="compactBytes"/> is over the limit, else null.</summary>
    public static ActorsError? CheckSize(long compactBytes, DocumentLimits limits) =>
        compactBytes > limits.MaxDocumentBytes ? ActorsError.TooLarge(compactBytes, limits.MaxDocumentBytes) : null;

    /// <summary>A <see cref="ActorsErrorKind.TooDeep"/> error when <paramref name="depth"/> is over the limit, else null.</summary>
    public static ActorsError? CheckDepth(int depth, DocumentLimits limits) =>
        depth > limits.MaxDepth ? ActorsError.TooDeep(limits.MaxDepth) : null;

    /// <summary>Checks the depth of a whole document (its root counts as level 1).</summary>
    public static ActorsError? CheckDepth(JsonNode? document, DocumentLimits limits) => CheckDepth(Depth(document), limits);

    /// <summary>
    /// The nesting depth of a value: 0 for a scalar or null, 1 for an empty object or array, and one more than its
    /// deepest child otherwise. A value placed under a pointer with <c>n</c> tokens reaches level <c>n + Depth</c>.
    /// </summary>
    /// <remarks>Recursive: call it only on trees whose depth is already bounded (parsed with a depth limit).</remarks>
    public static int Depth(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                var deepest = 0;
                foreach (var member in obj)
                {
                    deepest = Math.Max(deepest, Depth(member.Value));
                }

                return deepest + 1;
            case JsonArray array:
                var deepestItem = 0;
                foreach (var item in array)
                {
                    deepestItem = Math.Max(deepestItem, Depth(item));
                }

                return deepestItem + 1;
            default:
                return 0;
        }
    }
}
