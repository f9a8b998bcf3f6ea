using System.Diagnostics.CodeAnalysis;

namespace Actors.Contracts;

/// <summary>The wire names of <see cref="WriteOp"/> (<c>put</c>, <c>merge</c>, <c>patch</c>, <c>delete</c>).</summary>
public static class WriteOps
{
    /// <summary>The lowercase wire name of <paramref name="op"/>.</summary>
    public static string ToWireName(this WriteOp op) => op switch
    {
        WriteOp.Put => "put",
        WriteOp.Merge => "merge",
        WriteOp.Patch => "patch",
        WriteOp.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown write op"),
    };

    /// <summary>Parses a wire name (case-sensitive, lowercase).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out WriteOp? op)
    {
        op = name switch
        {
            "put" => WriteOp.Put,
            "merge" => WriteOp.Merge,
            "patch" => WriteOp.Patch,
            "delete" => WriteOp.Delete,
            _ => null,
        };
        return op is not null;
    }
}
