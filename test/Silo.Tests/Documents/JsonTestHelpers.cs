using System.Text.Json.Nodes;

namespace Actors.Silo.Tests.Documents;

/// <summary>Small helpers shared by the document tests.</summary>
internal static class JsonTestHelpers
{
    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    public static void ShouldEqualJson(this string? actual, string expected)
    {
        actual.Should().NotBeNull();
        JsonNode.DeepEquals(JsonNode.Parse(actual!), JsonNode.Parse(expected))
            .Should().BeTrue($"'{actual}' should equal '{expected}' as JSON");
    }

    /// <summary>An object with one member nested so that the whole document is <paramref name="depth"/> levels deep.</summary>
    public static string NestedDocument(int depth) =>
        "{\"a\":" + (depth > 1 ? NestedArrays(depth - 1) : "1") + "}";

    /// <summary>Arrays nested <paramref name="depth"/> deep, e.g. <c>[[]]</c> for 2.</summary>
    public static string NestedArrays(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary><c>{"a":"xxx…"}</c> whose compact UTF-8 form is exactly <paramref name="bytes"/> long.</summary>
    public static string DocumentOfSize(int bytes) => "{\"a\":\"" + new string('x', bytes - 8) + "\"}";
}
