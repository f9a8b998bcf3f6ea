using System.Diagnostics;
using System.Text;
using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

/// <summary>
/// A JSON Patch is bounded work (issue: the JSON Patch CPU bomb): a 2 MiB body could hold ~50,000 copy operations, each
/// cloning and re-measuring up to a whole document, minutes of CPU inside one grain. The operation count and the bytes
/// cloned or measured are capped; both refusals name the setting to change.
/// </summary>
public sealed class PatchWorkLimitsUnitTests(ITestOutputHelper output)
{
    private readonly DocumentEngine _engine = new(DocumentLimits.Default);

    [Fact]
    public void Defaults_AreOneThousandOperationsAndSixteenMiBOfWork()
    {
        DocumentLimits.Default.MaxPatchOperations.Should().Be(1_000);
        DocumentLimits.Default.MaxPatchWorkBytes.Should().Be(16L * 1_048_576);
    }

    [Fact]
    public void Patch_ExactlyMaxOperations_Applies()
    {
        var result = _engine.Apply("""{"n":0}""", WriteCommand.Patch("w", Tests(1_000)));

        result.Error.Should().BeNull();
    }

    [Fact]
    public void Patch_OneOperationOverMax_IsInvalidAndNamesTheSetting()
    {
        var result = _engine.Apply("""{"n":0}""", WriteCommand.Patch("w", Tests(1_001)));

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidPatch);
        result.Error.Message.Should().Contain("1,001").And.Contain("1,000").And.Contain("Actors:Roots:MaxPatchOperations");
    }

    [Fact]
    public void Patch_OperationLimitIsConfigurable()
    {
        var engine = new DocumentEngine(new DocumentLimits { MaxPatchOperations = 3 });

        engine.Apply("""{"n":0}""", WriteCommand.Patch("w", Tests(3))).Error.Should().BeNull();
        engine.Apply("""{"n":0}""", WriteCommand.Patch("w", Tests(4))).Error!.Kind.Should().Be(ActorsErrorKind.InvalidPatch);
    }

    [Fact]
    public void Patch_CopiesOfALargeValue_StopAtTheWorkBudget_AndLeaveTheDocumentAlone()
    {
        // 1,000 copies of a 400 KB member, each overwriting the same target: the document never passes 1 MiB, yet
        // unbounded this clones and measures ~1.2 GB.
        var current = $$"""{"big":"{{new string('x', 400_000)}}"}""";
        var copies = string.Join(",", Enumerable.Repeat("""{"op":"copy","from":"/big","path":"/copy"}""", 1_000));

        var clock = Stopwatch.StartNew();
        var result = _engine.Apply(current, WriteCommand.Patch("w", $"[{copies}]"));
        clock.Stop();

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidPatch);
        result.Error.Message.Should().Contain("Actors:Roots:MaxPatchWorkBytes").And.Contain("16,777,216");
        result.Json.Should().BeNull();
        output.WriteLine($"refused after {clock.Elapsed.TotalMilliseconds:F0} ms: {result.Error.Message}");
    }

    [Fact]
    public void Patch_MovesOfALargeValue_CountTowardsTheBudget()
    {
        // A move clones nothing but walks the moved value for its depth.
        var engine = new DocumentEngine(new DocumentLimits { MaxPatchWorkBytes = 1_000_000 });
        var current = $$"""{"a":["{{new string('x', 100_000)}}"]}""";
        var moves = string.Join(",", Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? """{"op":"move","from":"/a","path":"/b"}"""
            : """{"op":"move","from":"/b","path":"/a"}"""));

        var result = engine.Apply(current, WriteCommand.Patch("w", $"[{moves}]"));

        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidPatch);
        result.Error.Message.Should().Contain("Actors:Roots:MaxPatchWorkBytes");
    }

    [Fact]
    public void Patch_OrdinaryLargeCopy_StaysWithinTheBudget()
    {
        var current = $$"""{"big":"{{new string('x', 400_000)}}"}""";

        var result = _engine.Apply(current, WriteCommand.Patch("w", """[{"op":"copy","from":"/big","path":"/copy"}]"""));

        result.Error.Should().BeNull();
        Encoding.UTF8.GetByteCount(result.Json!).Should().BeGreaterThan(800_000);
    }

    private static string Tests(int count) =>
        "[" + string.Join(",", Enumerable.Repeat("""{"op":"test","path":"/n","value":0}""", count)) + "]";
}
