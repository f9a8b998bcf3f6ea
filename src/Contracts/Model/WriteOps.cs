using System.Diagnostics.CodeAnalysis;

namespace Actors.Contracts;

/// <summary>
/// The one list of write operations (docs/data-model.md, Writes). The gateway's routes and media types, the XMPP
/// <c>op</c> attribute, the chat commands and their help all derive from <see cref="All"/>; the document engine applies
/// each op. docs/extending.md walks through adding one.
/// </summary>
public static class WriteOps
{
    /// <summary>Every op, in the order help texts list them.</summary>
    public static IReadOnlyList<WriteOpInfo> All { get; } =
    [
        new(WriteOp.Put, "put", WriteBody.Object, "replace a document", "PUT", "application/json"),
        new(WriteOp.Merge, "merge", WriteBody.Object, "RFC 7386 merge patch", "PATCH", "application/merge-patch+json"),
        new(WriteOp.Patch, "patch", WriteBody.Array, "RFC 6902 JSON Patch", "PATCH", "application/json-patch+json"),
        new(WriteOp.Delete, "delete", WriteBody.None, "delete a root", "DELETE", null),
    ];

    private static readonly Dictionary<WriteOp, WriteOpInfo> ByOp = All.ToDictionary(o => o.Op);
    private static readonly Dictionary<string, WriteOpInfo> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The row of <paramref name="op"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="op"/> is not in <see cref="All"/>.</exception>
    public static WriteOpInfo Describe(this WriteOp op) =>
        ByOp.TryGetValue(op, out var info) ? info : throw new ArgumentOutOfRangeException(nameof(op), op, "unknown write op");

    /// <summary>The lowercase wire name of <paramref name="op"/>.</summary>
    public static string ToWireName(this WriteOp op) => op.Describe().Name;

    /// <summary>Parses a wire name (case-sensitive, lowercase).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out WriteOp? op)
    {
        op = name is not null && ByName.TryGetValue(name, out var info) ? info.Op : null;
        return op is not null;
    }

    /// <summary>The ops an HTTP method performs, each with the media type that selects it.</summary>
    public static IReadOnlyList<WriteOpInfo> ForHttpMethod(string method) =>
        [.. All.Where(o => string.Equals(o.HttpMethod, method, StringComparison.OrdinalIgnoreCase))];
}
