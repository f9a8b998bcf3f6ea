using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

internal sealed partial class JsonPatch
{
    private static ActorsError? Apply(ref State state, JsonPatchOperation operation)
    {
        switch (operation.Kind)
        {
            case JsonPatchOperationKind.Add:
                return InsertCopy(ref state, operation, operation.Path, operation.Value);

            case JsonPatchOperationKind.Remove:
                return TryDetach(ref state, operation, operation.Path, out _);

            case JsonPatchOperationKind.Replace:
                // §4.3: like remove then add, but the target must exist; it keeps its place in its parent.
                if (!operation.Path.TryEvaluate(state.Root, out _))
                {
                    return Failed(operation, $"there is nothing at '{operation.Path.Text}' to replace");
                }

                return InsertCopy(ref state, operation, operation.Path, operation.Value);

            case JsonPatchOperationKind.Move:
                var from = operation.From!;

                // §4.4: the "from" location MUST NOT be a proper prefix of "path": a value cannot move into its own child.
                if (from.IsProperPrefixOf(operation.Path))
                {
                    return Failed(operation, "a value cannot be moved into one of its own children");
                }

                if (!from.TryEvaluate(state.Root, out _))
                {
                    return Failed(operation, $"there is nothing at '{from.Text}' to move");
                }

                if (from.Tokens.SequenceEqual(operation.Path.Tokens, StringComparer.Ordinal))
                {
                    return null;
                }

                var detached = TryDetach(ref state, operation, from, out var moved);
                return detached ?? Insert(ref state, operation, operation.Path, moved, CompactJson.Measure(moved), grows: false);

            case JsonPatchOperationKind.Copy:
                if (!operation.From!.TryEvaluate(state.Root, out var source))
                {
                    return Failed(operation, $"there is nothing at '{operation.From.Text}' to copy");
                }

                return InsertCopy(ref state, operation, operation.Path, source);

            case JsonPatchOperationKind.Test:
                if (!operation.Path.TryEvaluate(state.Root, out var actual))
                {
                    return Failed(operation, $"there is nothing at '{operation.Path.Text}' to test");
                }

                // §4.6: equal means same JSON type and value: numbers by value (1 equals 1.0), strings by their
                // characters after unescaping, objects by their members in any order, arrays item by item in order.
                // JsonNode.DeepEquals implements exactly that for parsed values.
                return JsonNode.DeepEquals(actual, operation.Value)
                    ? null
                    : Failed(operation, $"the value at '{operation.Path.Text}' is not equal to the expected value");

            default:
                throw new InvalidOperationException($"Unhandled operation kind {operation.Kind}.");
        }
    }

    // Puts a copy of value (from the body or the document) at path. The copy is paid for before it is made, so a patch
    // over its work budget stops before cloning, not after.
    private static ActorsError? InsertCopy(ref State state, JsonPatchOperation operation, JsonPointer path, JsonNode? value)
    {
        var bytes = CompactJson.Measure(value);
        return state.Charge(operation, bytes) ?? Insert(ref state, operation, path, value?.DeepClone(), bytes, grows: true);
    }

    // Puts an unparented value of the given compact size at path: replacing the root, setting an object member, or
    // inserting into an array. Its depth walk is paid for too.
    private static ActorsError? Insert(ref State state, JsonPatchOperation operation, JsonPointer path, JsonNode? value, long bytes, bool grows)
    {
        var error = state.Charge(operation, bytes) ?? state.CheckDepth(path, value) ?? Place(ref state, operation, path, value);
        return error ?? state.CheckSizeAfter(operation, path, bytes, grows);
    }

    private static ActorsError? Place(ref State state, JsonPatchOperation operation, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            state.Root = value;
            return null;
        }

        if (!path.TryEvaluateParent(state.Root, out var parent))
        {
            return Failed(operation, $"the parent of '{path.Text}' does not exist");
        }

        var token = path.LastToken;
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                return null;

            case JsonArray array when operation.Kind == JsonPatchOperationKind.Replace:
                // The caller checked that the element exists.
                JsonPointer.TryParseArrayIndex(token, out var replaced);
                array[replaced] = value;
                return null;

            case JsonArray array:
                if (token == "-")
                {
                    array.Add(value);
                    return null;
                }

                if (!JsonPointer.TryParseArrayIndex(token, out var index))
                {
                    return Failed(operation, $"'{token}' is not an array index (digits without leading zeros, or '-')");
                }

                if (index > array.Count)
                {
                    return Failed(operation, $"index {index} is past the end of the array of {array.Count} items");
                }

                array.Insert(index, value);
                return null;

            default:
                return Failed(operation, $"the parent of '{path.Text}' is not an object or an array");
        }
    }

    // Takes the value at path out of its parent; the path must exist and must not be the root.
    private static ActorsError? TryDetach(ref State state, JsonPatchOperation operation, JsonPointer path, out JsonNode? value)
    {
        value = null;
        if (path.IsRoot)
        {
            return Failed(operation, "the whole document cannot be removed");
        }

        if (!path.TryEvaluate(state.Root, out value) || !path.TryEvaluateParent(state.Root, out var parent))
        {
            return Failed(operation, $"there is nothing at '{path.Text}' to remove");
        }

        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(path.LastToken);
                return null;
            case JsonArray array:
                JsonPointer.TryParseArrayIndex(path.LastToken, out var index);
                array.RemoveAt(index);
                return null;
            default:
                return Failed(operation, $"there is nothing at '{path.Text}' to remove");
        }
    }

    private static ActorsError Failed(JsonPatchOperation operation, string reason) =>
        ActorsError.PatchFailed($"{operation.Describe()}: {reason}");

    // The document being patched with an upper bound on its compact size, so that the limits can be kept after every
    // operation without serializing the whole document each time.
    private struct State(JsonNode? root, long bytes, DocumentLimits limits)
    {
        private long _sizeBound = bytes;

        // The bytes cloned, walked and measured so far (DocumentLimits.MaxPatchWorkBytes).
        private long _work;

        public JsonNode? Root { get; set; } = root;

        // Depth is checked exactly before placing a value: under a pointer with n tokens it reaches level
        // n + its own depth. Checking first keeps every tree walk shallow.
        public readonly ActorsError? CheckDepth(JsonPointer path, JsonNode? value) =>
            DocumentLimitsChecker.CheckDepth(path.Tokens.Count + DocumentLimitsChecker.Depth(value), limits);

        // Size grows an upper bound by the value and its member name (removals and replaced values are not
        // subtracted, so it only overshoots). Only when the bound passes the limit is the document measured for real.
        // A value is never larger than the limit (it comes from the body or from the document), so the document is at
        // most twice the limit before this refuses it.
        public ActorsError? CheckSizeAfter(JsonPatchOperation operation, JsonPointer path, long valueBytes, bool grows)
        {
            if (path.IsRoot)
            {
                _sizeBound = valueBytes;
            }
            else
            {
                // A member name needs at most six bytes per UTF-8 byte when escaped, plus quotes, colon and comma.
                _sizeBound += (Encoding.UTF8.GetByteCount(path.LastToken) * 6) + 4 + (grows ? valueBytes : 0);
                if (_sizeBound <= limits.MaxDocumentBytes)
                {
                    return null;
                }

                _sizeBound = CompactJson.Measure(Root);
                if (Charge(operation, _sizeBound) is { } overBudget)
                {
                    return overBudget;
                }
            }

            return DocumentLimitsChecker.CheckSize(_sizeBound, limits);
        }

        // Adds work done (or about to be done) and refuses the patch once the total passes the budget.
        public ActorsError? Charge(JsonPatchOperation operation, long bytes)
        {
            _work += bytes;
            return _work <= limits.MaxPatchWorkBytes
                ? null
                : ActorsError.InvalidPatch(string.Create(CultureInfo.InvariantCulture,
                    $"it clones, walks or measures more than {limits.MaxPatchWorkBytes:N0} bytes of JSON in all (Actors:Roots:MaxPatchWorkBytes), passed at {operation.Describe()}: split it into smaller patches, or use put or merge for large rewrites"));
        }
    }
}
