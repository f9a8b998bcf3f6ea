using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// A validated RFC 6902 JSON Patch, applied atomically: to a copy, so that on any failure the original is untouched.
/// </summary>
/// <remarks>
/// <para>
/// Why our own and not Microsoft.AspNetCore.JsonPatch.SystemTextJson 10.0.15: that package is built to patch typed
/// models. Run over JsonNode documents with the public json-patch-tests suite it passed 92 of 108 enabled records: it
/// cannot address or replace the whole document (path ""), treats "/foo/" as "/foo", cannot test for null, accepts
/// pointers without a leading '/', unknown ops, array indexes with leading zeros and operations missing their
/// "value", and it changes the target in place, so a failing operation leaves the earlier ones applied. Each of those
/// breaks a MUST of RFC 6902 or our atomicity rule.
/// </para>
/// <para>
/// Two kinds of failure, as docs/data-model.md says: a patch that is malformed (not an array, an element not an object, an
/// unknown op, a missing or mistyped member, a pointer with bad syntax) is refused by <see cref="TryParse"/> with
/// <see cref="ActorsErrorKind.InvalidPatch"/> before anything is applied; a well-formed patch that cannot apply fails
/// with <see cref="ActorsErrorKind.PatchFailed"/>, naming the operation and its path. The limits are kept after every
/// operation, not just at the end, so a patch cannot grow a document past them in between (say, by copying the
/// document into itself twenty times) and exhaust memory or stack.
/// </para>
/// </remarks>
internal sealed partial class JsonPatch
{
    private readonly JsonPatchOperation[] _operations;

    private JsonPatch(JsonPatchOperation[] operations) => _operations = operations;

    /// <summary>The validated operations, in order.</summary>
    public IReadOnlyList<JsonPatchOperation> Operations => _operations;

    /// <summary>
    /// Validates a parsed patch body, or returns an <see cref="ActorsErrorKind.InvalidPatch"/> error (also for more
    /// operations than <see cref="DocumentLimits.MaxPatchOperations"/>).
    /// </summary>
    public static bool TryParse(JsonNode? body, DocumentLimits limits, [NotNullWhen(true)] out JsonPatch? patch, [NotNullWhen(false)] out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        patch = null;
        if (body is not JsonArray array)
        {
            error = ActorsError.InvalidPatch("the body must be a JSON array of operations");
            return false;
        }

        if (array.Count > limits.MaxPatchOperations)
        {
            error = ActorsError.InvalidPatch(string.Create(CultureInfo.InvariantCulture,
                $"it has {array.Count:N0} operations; the limit is {limits.MaxPatchOperations:N0} (Actors:Roots:MaxPatchOperations): split it into several patches, each with its own write id"));
            return false;
        }

        var operations = new JsonPatchOperation[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (!TryParseOperation(i, array[i], out var operation, out error))
            {
                return false;
            }

            operations[i] = operation;
        }

        patch = new JsonPatch(operations);
        error = null;
        return true;
    }

    /// <summary>
    /// Applies the patch to a copy of <paramref name="document"/> (null is JSON null) and returns the copy; the
    /// original is never changed. The result may be any JSON value; callers that need an object check it.
    /// </summary>
    public bool TryApply(JsonNode? document, DocumentLimits limits, out JsonNode? result, [NotNullWhen(false)] out ActorsError? error) =>
        TryApplyInPlace(document?.DeepClone(), CompactJson.Measure(document), limits, out result, out error);

    /// <summary>
    /// Applies the patch to <paramref name="document"/> itself, which the caller owns and drops on failure.
    /// </summary>
    /// <param name="document">A tree nobody else holds; it is changed in place.</param>
    /// <param name="documentBytes">Its compact size, to start the size bookkeeping without measuring it again.</param>
    /// <param name="limits">The limits kept after every operation.</param>
    /// <param name="result">The new root (it differs from <paramref name="document"/> when the root was replaced).</param>
    /// <param name="error">Why the patch did not apply.</param>
    public bool TryApplyInPlace(JsonNode? document, long documentBytes, DocumentLimits limits, out JsonNode? result, [NotNullWhen(false)] out ActorsError? error)
    {
        var state = new State(document, documentBytes, limits);
        foreach (var operation in _operations)
        {
            error = Apply(ref state, operation);
            if (error is not null)
            {
                result = null;
                return false;
            }
        }

        result = state.Root;
        error = null;
        return true;
    }

    private static bool TryParseOperation(int index, JsonNode? element, [NotNullWhen(true)] out JsonPatchOperation? operation, [NotNullWhen(false)] out ActorsError? error)
    {
        operation = null;
        if (element is not JsonObject obj)
        {
            error = ActorsError.InvalidPatch($"patch[{index}] must be a JSON object with an 'op' member");
            return false;
        }

        if (!TryGetString(obj, "op", out var name))
        {
            error = ActorsError.InvalidPatch($"patch[{index}] needs an 'op' member that is a string");
            return false;
        }

        JsonPatchOperationKind kind;
        switch (name)
        {
            case "add": kind = JsonPatchOperationKind.Add; break;
            case "remove": kind = JsonPatchOperationKind.Remove; break;
            case "replace": kind = JsonPatchOperationKind.Replace; break;
            case "move": kind = JsonPatchOperationKind.Move; break;
            case "copy": kind = JsonPatchOperationKind.Copy; break;
            case "test": kind = JsonPatchOperationKind.Test; break;
            default:
                error = ActorsError.InvalidPatch($"patch[{index}] has the unknown op '{name}'; use add, remove, replace, move, copy or test");
                return false;
        }

        if (!TryGetPointer(obj, index, name, "path", out var path, out error))
        {
            return false;
        }

        JsonPointer? from = null;
        if (kind is JsonPatchOperationKind.Move or JsonPatchOperationKind.Copy
            && !TryGetPointer(obj, index, name, "from", out from, out error))
        {
            return false;
        }

        // RFC 6902 §4: "value" is required for add, replace and test; JSON null is a value, an absent member is not.
        JsonNode? value = null;
        if (kind is JsonPatchOperationKind.Add or JsonPatchOperationKind.Replace or JsonPatchOperationKind.Test
            && !obj.TryGetPropertyValue("value", out value))
        {
            error = ActorsError.InvalidPatch($"patch[{index}] ({name}) needs a 'value' member");
            return false;
        }

        operation = new JsonPatchOperation(index, kind, name, path, from, value);
        error = null;
        return true;
    }

    private static bool TryGetString(JsonObject obj, string member, [NotNullWhen(true)] out string? value)
    {
        if (obj.TryGetPropertyValue(member, out var node) && node is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String)
        {
            value = scalar.GetValue<string>();
            return true;
        }

        value = null;
        return false;
    }

    private static bool TryGetPointer(JsonObject obj, int index, string name, string member, [NotNullWhen(true)] out JsonPointer? pointer, [NotNullWhen(false)] out ActorsError? error)
    {
        pointer = null;
        if (!TryGetString(obj, member, out var text))
        {
            error = ActorsError.InvalidPatch($"patch[{index}] ({name}) needs a '{member}' member that is a string");
            return false;
        }

        if (!JsonPointer.TryParse(text, out pointer, out var pointerError))
        {
            error = ActorsError.InvalidPatch($"patch[{index}] ({name}) has a bad '{member}': {pointerError.Message.TrimEnd('.')}");
            return false;
        }

        error = null;
        return true;
    }
}
