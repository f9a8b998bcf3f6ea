using Actors.Contracts;
using Actors.Silo.Documents;
using BenchmarkDotNet.Attributes;

namespace Actors.Benchmarks.Micro;

/// <summary>The document work of one write to a ~500-byte root: merge, JSON patch, and the command fingerprint.</summary>
[MemoryDiagnoser]
public class DocumentBenchmarks
{
    private readonly DocumentEngine _engine = new(DocumentLimits.Default);
    private readonly string _current = Payloads.Document(1);
    private readonly WriteCommand _merge = WriteCommand.Merge("w-1", Payloads.Document(2));
    private readonly WriteCommand _patch = WriteCommand.Patch("w-2", Payloads.JsonPatch(2));

    [Benchmark(Description = "DocumentEngine.Apply merge (~500 B doc, ~500 B body)")]
    public string? Merge() => _engine.Apply(_current, _merge).Json;

    [Benchmark(Description = "DocumentEngine.Apply JSON patch (test + replace)")]
    public string? Patch() => _engine.Apply(_current, _patch).Json;

    [Benchmark(Description = "CommandFingerprint.Compute (merge, ~500 B body)")]
    public UInt128 Fingerprint() => CommandFingerprint.Compute(_merge);
}
