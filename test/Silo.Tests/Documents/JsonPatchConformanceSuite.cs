using System.Text.Json.Nodes;

namespace Actors.Silo.Tests.Documents;

/// <summary>
/// Loads the public json-patch-tests suite from shared/conformance/json-patch-tests beside the repository, at run time:
/// the files are not copied into the repository.
/// </summary>
internal static class JsonPatchConformanceSuite
{
    public static readonly string[] Files = ["tests.json", "spec_tests.json"];

    private static readonly Lazy<IReadOnlyDictionary<string, JsonArray>> Records = new(Load);

    public static string Directory { get; } = FindDirectory();

    public static JsonObject Record(string file, int index) => Records.Value[file][index]!.AsObject();

    public static IEnumerable<TheoryDataRow<string, int>> Cases()
    {
        foreach (var file in Files)
        {
            var records = Records.Value[file];
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i]!.AsObject();
                var about = record["comment"]?.GetValue<string>() is { Length: > 0 } comment
                    ? comment
                    : record["error"]?.GetValue<string>() ?? "(no comment)";
                // Records the suite itself disables are not part of the contract; they are left out, not skipped.
                if (record["disabled"]?.GetValue<bool>() == true)
                {
                    continue;
                }

                yield return new TheoryDataRow<string, int>(file, i) { TestDisplayName = $"{file}[{i}] {about}" };
            }
        }
    }

    private static Dictionary<string, JsonArray> Load() =>
        Files.ToDictionary(file => file, file =>
        {
            var path = Path.Combine(Directory, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"JSON Patch conformance file missing: {path}. The suite lives in shared/conformance/json-patch-tests beside the repository.", path);
            }

            return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        });

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
            {
                var suite = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "json-patch-tests"));
                return System.IO.Directory.Exists(suite)
                    ? suite
                    : throw new DirectoryNotFoundException($"JSON Patch conformance suite not found at {suite} (expected shared/conformance/json-patch-tests beside the repository root {dir.FullName}).");
            }
        }

        throw new DirectoryNotFoundException($"No directory containing Actors.sln above {AppContext.BaseDirectory}; cannot locate shared/conformance/json-patch-tests.");
    }
}
