namespace Actors.Contracts;

/// <summary>A declared secondary index on one root type (docs/queries.md).</summary>
/// <param name="Type">The root type indexed.</param>
/// <param name="Name">The index name, unique within the type (the rule of <see cref="IndexNames.Validate"/>).</param>
/// <param name="Pointer">The JSON Pointer whose value (string, number or boolean) is indexed.</param>
/// <param name="State">Building or ready.</param>
/// <param name="Progress">0..1: the share of the type's partitions already built; 1 when ready.</param>
[GenerateSerializer, Immutable]
public sealed record IndexInfo(
    [property: Id(0)] string Type,
    [property: Id(1)] string Name,
    [property: Id(2)] string Pointer,
    [property: Id(3)] IndexState State,
    [property: Id(4)] double Progress);

/// <summary>The outcome of an index declaration, read or drop.</summary>
/// <param name="Index">The index (as declared, or as it was before a drop); null on error.</param>
/// <param name="Created">A declaration that created the index (HTTP 201) rather than found it identical (200).</param>
/// <param name="Error">Why nothing was done; null on success.</param>
[GenerateSerializer, Immutable]
public sealed record IndexResult(
    [property: Id(0)] IndexInfo? Index,
    [property: Id(1)] bool Created = false,
    [property: Id(2)] ActorsError? Error = null)
{
    /// <summary>A refused request.</summary>
    public static IndexResult Refused(ActorsError error) => new(null, Error: error);
}
