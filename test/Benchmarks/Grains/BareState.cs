namespace Actors.Benchmarks.Grains;

/// <summary>The bare grain's state: a 500-byte string and a counter, shaped like a root's document and version.</summary>
[GenerateSerializer]
public sealed class BareState
{
    /// <summary>The payload last written.</summary>
    [Id(0)] public string? Payload { get; set; }

    /// <summary>Writes so far.</summary>
    [Id(1)] public long Version { get; set; }
}
