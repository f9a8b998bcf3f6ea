using System.Text.Json.Nodes;
using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

/// <summary>
/// Every enabled record of json-patch-tests, applied twice: through <see cref="JsonPatch"/> (any JSON document, as the
/// suite intends) and through <see cref="DocumentEngine"/> (the real write path, whose documents are objects).
/// </summary>
public sealed class JsonPatchConformanceUnitTests
{
    public static IEnumerable<TheoryDataRow<string, int>> Cases() => JsonPatchConformanceSuite.Cases();

    [Fact]
    public void Suite_IsPresentAndComplete()
    {
        var count = JsonPatchConformanceSuite.Cases().Count();

        count.Should().BeGreaterThan(100, $"the suite at {JsonPatchConformanceSuite.Directory} should hold all its records");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JsonPatch_Record_BehavesAsSuiteExpects(string file, int index)
    {
        var record = JsonPatchConformanceSuite.Record(file, index);
        var document = record["doc"]?.DeepClone();
        var before = document?.DeepClone();

        var parsed = JsonPatch.TryParse(record["patch"]!.DeepClone(), DocumentLimits.Default, out var patch, out var parseError);
        JsonNode? result = null;
        ActorsError? applyError = null;
        var applied = parsed && patch!.TryApply(document, DocumentLimits.Default, out result, out applyError);

        if (record.ContainsKey("error"))
        {
            applied.Should().BeFalse($"the suite expects an error: {record["error"]}");
            (parseError ?? applyError)!.Kind.Should().BeOneOf(ActorsErrorKind.InvalidPatch, ActorsErrorKind.PatchFailed);
        }
        else
        {
            applied.Should().BeTrue((parseError ?? applyError)?.Message);
            if (record.TryGetPropertyValue("expected", out var expected))
            {
                JsonNode.DeepEquals(result, expected).Should().BeTrue($"got {result?.ToJsonString() ?? "null"}, expected {expected?.ToJsonString() ?? "null"}");
            }
        }

        JsonNode.DeepEquals(document, before).Should().BeTrue("the original document must be untouched");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DocumentEngine_Record_BehavesAsSuiteExpects(string file, int index)
    {
        var record = JsonPatchConformanceSuite.Record(file, index);
        var document = record["doc"];
        var patch = record["patch"]!.AsArray();
        var engine = new DocumentEngine(DocumentLimits.Default);

        string current;
        string body;
        if (document is JsonObject)
        {
            current = document.ToJsonString();
            body = patch.ToJsonString();
        }
        else
        {
            // A root always holds an object, so a record about another document starts by replacing the root with it;
            // intermediate non-object roots are allowed, only the result must be an object.
            current = "{}";
            var prefixed = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "", ["value"] = document?.DeepClone() });
            foreach (var operation in patch)
            {
                prefixed.Add(operation?.DeepClone());
            }

            body = prefixed.ToJsonString();
        }

        var result = engine.Apply(current, WriteCommand.Patch("w", body));

        if (record.ContainsKey("error"))
        {
            result.Succeeded.Should().BeFalse($"the suite expects an error: {record["error"]}");
            result.Error!.Kind.Should().BeOneOf(ActorsErrorKind.InvalidPatch, ActorsErrorKind.PatchFailed);
        }
        else if (record.TryGetPropertyValue("expected", out var expected) && expected is not JsonObject)
        {
            result.Error!.Kind.Should().Be(ActorsErrorKind.NotAnObject, "a root must stay an object");
        }
        else if (expected is not null)
        {
            result.Error.Should().BeNull();
            result.Json.ShouldEqualJson(expected.ToJsonString());
        }
        else
        {
            result.Error.Should().BeNull();
        }
    }
}
