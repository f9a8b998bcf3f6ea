using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>
/// The pure document logic of a root (docs/data-model.md): turns the current document and a write into the new document, and
/// reads documents or the values under a pointer. No Orleans, no storage, no versions: the root grain does those.
/// </summary>
/// <remarks>
/// <para>
/// Representation, chosen by measurement on a 230 KB document (Release, Stopwatch, 500 runs): parse plus compact
/// write costs the same through <see cref="JsonDocument"/> and through an untouched <see cref="JsonNode"/> (2–3.5 ms,
/// within noise: JsonNode.Parse keeps a JsonDocument underneath until a node is touched), while turning every value
/// into nodes costs 2–3 times more. So put and read, which never change a tree, stay on JsonDocument, and merge and
/// patch, which need a mutable tree, use JsonNode, which only materializes the parts a write touches.
/// </para>
/// <para>Thread-safe: it holds only the limits, which it reads.</para>
/// </remarks>
internal sealed class DocumentEngine(DocumentLimits limits)
{
    /// <summary>The limits every result is held to.</summary>
    public DocumentLimits Limits { get; } = limits;

    /// <summary>
    /// Checks that a command's shape fits its op: put, merge and patch carry a body, delete carries none.
    /// Returns null when it fits, else <see cref="ActorsErrorKind.InvalidCommand"/> (or InvalidWriteId).
    /// </summary>
    public static ActorsError? Validate(WriteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(command.WriteId))
        {
            return ActorsError.InvalidWriteId("a write id is required");
        }

        if (command.WriteId.Length > WriteCommand.MaxWriteIdLength)
        {
            return ActorsError.InvalidWriteId($"it is {command.WriteId.Length} characters long; the limit is {WriteCommand.MaxWriteIdLength}");
        }

        if (!Enum.IsDefined(command.Op))
        {
            return ActorsError.InvalidCommand($"unknown op {(int)command.Op}");
        }

        // The body each op takes comes from the one list of ops (WriteOps.All).
        var op = command.Op.Describe();
        return op.Body switch
        {
            WriteBody.None when command.Json is not null => ActorsError.InvalidCommand($"{op.Name} takes no body"),
            not WriteBody.None when string.IsNullOrWhiteSpace(command.Json) => ActorsError.InvalidCommand($"{op.Name} needs a JSON body"),
            _ => null,
        };
    }

    /// <summary>
    /// Applies a write that produces a document (every op but delete) to the current document and returns the new document as compact JSON.
    /// </summary>
    /// <param name="currentJson">The stored document (compact JSON this engine produced), or null when the root is absent.</param>
    /// <param name="command">The write; delete is the grain's business and is refused here.</param>
    /// <returns>
    /// The new document, or an error: InvalidCommand, InvalidJson, NotAnObject, InvalidPatch, PatchFailed, TooDeep,
    /// TooLarge.
    /// </returns>
    public DocumentResult Apply(string? currentJson, WriteCommand command)
    {
        var shapeError = Validate(command);
        if (shapeError is not null)
        {
            return DocumentResult.Fail(shapeError);
        }

        try
        {
            return command.Op switch
            {
                WriteOp.Put => Put(command.Json!),
                WriteOp.Merge => Merge(currentJson, command.Json!),
                WriteOp.Patch => Patch(currentJson, command.Json!),
                _ => DocumentResult.Fail(ActorsError.InvalidCommand($"{command.Op.ToWireName()} does not produce a document; the root grain applies it")),
            };
        }
        catch (InvalidOperationException ex) when (ex.TargetSite?.DeclaringType?.Assembly == typeof(JsonDocument).Assembly)
        {
            // The parser accepts escapes such as "\ud800" (half a surrogate pair) and only fails when the string is
            // read or written, deep inside a merge, patch or write. Such text cannot be stored; refuse it as input
            // rather than pay a second scan of every body to find it up front.
            return DocumentResult.Fail(ActorsError.InvalidJson($"a string or member name is not valid text ({ex.Message})"));
        }
    }

    /// <summary>
    /// Reads the document, or the value at <paramref name="pointer"/> in it, as compact JSON.
    /// </summary>
    /// <param name="root">The root's <c>type/id</c>, for error messages.</param>
    /// <param name="currentJson">The stored document (compact JSON this engine produced).</param>
    /// <param name="pointer">An RFC 6901 pointer; null or "" reads the whole document.</param>
    /// <returns>The value, or InvalidPointer / PointerNotFound.</returns>
    public static DocumentResult Read(string root, string currentJson, string? pointer)
    {
        ArgumentNullException.ThrowIfNull(currentJson);
        if (string.IsNullOrEmpty(pointer))
        {
            return DocumentResult.Ok(currentJson);
        }

        if (!JsonPointer.TryParse(pointer, out var parsed, out var pointerError))
        {
            return DocumentResult.Fail(pointerError);
        }

        if (!JsonInput.TryParseDocument(currentJson, JsonInput.StoredMaxDepth, out var document, out var error))
        {
            return DocumentResult.Fail(error);
        }

        using (document)
        {
            // The stored text is already compact, so the raw text of any value inside it is compact too.
            return parsed.TryEvaluate(document.RootElement, out var value)
                ? DocumentResult.Ok(value.GetRawText())
                : DocumentResult.Fail(ActorsError.PointerNotFound(root, pointer));
        }
    }

    private DocumentResult Put(string body)
    {
        if (!JsonInput.TryParseDocument(body, Limits.MaxDepth, out var document, out var error))
        {
            return DocumentResult.Fail(error);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return DocumentResult.Fail(ActorsError.NotAnObject("The body of a put"));
            }

            return CompactJson.TryWrite(document.RootElement, Limits, out var json, out error)
                ? DocumentResult.Ok(json)
                : DocumentResult.Fail(error);
        }
    }

    private DocumentResult Merge(string? currentJson, string body)
    {
        if (!JsonInput.TryParseNode(body, Limits.MaxDepth, out var patch, out var error))
        {
            return DocumentResult.Fail(error);
        }

        if (patch is not JsonObject)
        {
            return DocumentResult.Fail(ActorsError.NotAnObject("The body of a merge"));
        }

        if (!TryLoad(currentJson, out var target, out error))
        {
            return DocumentResult.Fail(error);
        }

        // The patch is an object, so RFC 7386 makes the result an object; its depth is at most the deeper of the two
        // inputs, and the writer checks it exactly.
        var result = MergePatch.Apply(target, patch);
        return Finish(result, "The result of the merge");
    }

    private DocumentResult Patch(string? currentJson, string body)
    {
        // The operations sit two levels below the body (array, operation object), so allow those two extra levels:
        // a value may be as deep as a whole document when it replaces the root.
        if (!JsonInput.TryParseNode(body, Limits.MaxDepth + 2, out var parsedBody, out var error))
        {
            return DocumentResult.Fail(error);
        }

        if (!JsonPatch.TryParse(parsedBody, Limits, out var patch, out error))
        {
            return DocumentResult.Fail(error);
        }

        if (!TryLoad(currentJson, out var document, out error))
        {
            return DocumentResult.Fail(error);
        }

        // The tree was parsed just for this write, so the patch may change it in place: on failure it is dropped,
        // which is what makes the patch atomic without a copy.
        var bytes = currentJson is null ? 2 : Encoding.UTF8.GetByteCount(currentJson);
        if (!patch.TryApplyInPlace(document, bytes, Limits, out var result, out error))
        {
            return DocumentResult.Fail(error);
        }

        return Finish(result, "The result of the patch");
    }

    private static bool TryLoad(string? currentJson, out JsonNode? document, [NotNullWhen(false)] out ActorsError? error)
    {
        if (currentJson is null)
        {
            document = new JsonObject();
            error = null;
            return true;
        }

        return JsonInput.TryParseNode(currentJson, JsonInput.StoredMaxDepth, out document, out error);
    }

    private DocumentResult Finish(JsonNode? result, string what)
    {
        if (result is not JsonObject)
        {
            return DocumentResult.Fail(ActorsError.NotAnObject(what));
        }

        return CompactJson.TryWrite(result, Limits, out var json, out var error)
            ? DocumentResult.Ok(json)
            : DocumentResult.Fail(error);
    }
}
