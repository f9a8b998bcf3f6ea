using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Contracts;

namespace Actors.Silo.Queries;

/// <summary>
/// A declared index as stored in its type's definitions hash (docs/queries.md): the pointer, whether it is built, and
/// the build cursor — the partition being built and the last root id done in it — so a build resumes after a crash.
/// </summary>
/// <param name="Pointer">The JSON Pointer indexed.</param>
/// <param name="Ready">All partitions are built.</param>
/// <param name="Generation">Unique per declaration, so a cursor update from a build of a dropped index is ignored.</param>
/// <param name="Partition">The partition the build is in (the partitions below it are done).</param>
/// <param name="After">The last root id of <paramref name="Partition"/> already indexed; null before its first batch.</param>
internal sealed record IndexDefinition(
    [property: JsonPropertyName("pointer")] string Pointer,
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("generation")] string Generation,
    [property: JsonPropertyName("partition")] int Partition = 0,
    [property: JsonPropertyName("after")] string? After = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static IndexDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<IndexDefinition>(json) ?? throw new JsonException("An index definition is null.");

    /// <summary>The share of partitions built: 1 when ready.</summary>
    public double Progress(int partitions) => Ready ? 1 : Math.Clamp((double)Partition / partitions, 0, 0.99);

    public IndexInfo ToInfo(string type, string name, int partitions) =>
        new(type, name, Pointer, Ready ? IndexState.Ready : IndexState.Building, Progress(partitions));
}
