using System.Text.Json.Nodes;

namespace Actors.Silo.Documents;

/// <summary>One validated operation of a JSON Patch.</summary>
/// <param name="Index">Its position in the patch array, 0-based; error messages name it.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Name">The op as written ("add", …), for messages.</param>
/// <param name="Path">The target location.</param>
/// <param name="From">The source location, for move and copy.</param>
/// <param name="Value">The value, for add, replace and test (null is JSON null); it is cloned, never moved, on use.</param>
internal sealed record JsonPatchOperation(int Index, JsonPatchOperationKind Kind, string Name, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    /// <summary>How messages name this operation, e.g. <c>patch[2] (remove '/a/b')</c>.</summary>
    public string Describe() => From is null
        ? $"patch[{Index}] ({Name} '{Path.Text}')"
        : $"patch[{Index}] ({Name} from '{From.Text}' to '{Path.Text}')";
}
