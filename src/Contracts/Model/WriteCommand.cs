namespace Actors.Contracts;

/// <summary>
/// One idempotent write to a root (docs/data-model.md).
/// </summary>
/// <param name="Op">What to do.</param>
/// <param name="WriteId">
/// The sender's id for this write, scoped to the root. Sending the same command with the same id again returns the
/// original result flagged <see cref="WriteResult.Duplicate"/> and changes nothing; sending another command with the
/// same id is refused with <see cref="ActorsErrorKind.WriteIdReused"/>. At most <see cref="MaxWriteIdLength"/> characters.
/// </param>
/// <param name="Json">The body as JSON text: an object for put and merge, an array for patch, null for delete.</param>
/// <param name="IfVersion">When set, the write applies only if the root's current version equals it.</param>
[GenerateSerializer, Immutable]
public sealed record WriteCommand(
    [property: Id(0)] WriteOp Op,
    [property: Id(1)] string WriteId,
    [property: Id(2)] string? Json = null,
    [property: Id(3)] long? IfVersion = null)
{
    /// <summary>The longest write id accepted; longer ones are refused as invalid.</summary>
    public const int MaxWriteIdLength = 512;

    /// <summary>Creates a put command.</summary>
    public static WriteCommand Put(string writeId, string json, long? ifVersion = null) => new(WriteOp.Put, writeId, json, ifVersion);

    /// <summary>Creates an RFC 7386 merge command.</summary>
    public static WriteCommand Merge(string writeId, string json, long? ifVersion = null) => new(WriteOp.Merge, writeId, json, ifVersion);

    /// <summary>Creates an RFC 6902 patch command.</summary>
    public static WriteCommand Patch(string writeId, string json, long? ifVersion = null) => new(WriteOp.Patch, writeId, json, ifVersion);

    /// <summary>Creates a delete command.</summary>
    public static WriteCommand Delete(string writeId, long? ifVersion = null) => new(WriteOp.Delete, writeId, null, ifVersion);
}
