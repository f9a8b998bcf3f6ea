using System.Text.Json;
using Actors.Gateway.Tests.Infrastructure;

namespace Actors.Gateway.Tests;

/// <summary><c>?expand=refs&amp;depth=N</c> against real grains: depth, cycles, dangling references.</summary>
public sealed class ExpandRefsTests(ClusterFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private async Task<string> PutAsync(string root, string json)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/v1/roots/" + root, json);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return root;
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        using var response = await Client.FetchAsync(url);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Unique(string type) => $"{type}/e{Guid.NewGuid():N}";

    [Fact]
    public async Task Expand_DefaultDepth_ResolvesFirstLevelOnly()
    {
        var country = await PutAsync(Unique("country"), """{"name":"NZ"}""");
        var user = await PutAsync(Unique("user"), $$$"""{"name":"Ann","country":{"$ref":"{{{country}}}"}}""");
        var topic = await PutAsync(Unique("topic"), $$$"""{"author":{"$ref":"{{{user}}}"},"replies":[{"by":{"$ref":"{{{user}}}"}}]}""");

        var document = await GetAsync($"/v1/roots/{topic}?expand=refs");

        var author = document.GetProperty("author");
        author.GetProperty("$ref").GetString().Should().Be(user);
        author.GetProperty("$value").GetProperty("name").GetString().Should().Be("Ann");
        author.GetProperty("$value").GetProperty("country").TryGetProperty("$value", out _).Should().BeFalse("depth 1 stops after one level");
        document.GetProperty("replies")[0].GetProperty("by").GetProperty("$value").GetProperty("name").GetString().Should().Be("Ann");
    }

    [Fact]
    public async Task Expand_DepthTwo_ResolvesNestedReferences()
    {
        var country = await PutAsync(Unique("country"), """{"name":"NZ"}""");
        var user = await PutAsync(Unique("user"), $$$"""{"name":"Ann","country":{"$ref":"{{{country}}}"}}""");
        var topic = await PutAsync(Unique("topic"), $$$"""{"author":{"$ref":"{{{user}}}"}}""");

        var document = await GetAsync($"/v1/roots/{topic}?expand=refs&depth=2");

        document.GetProperty("author").GetProperty("$value").GetProperty("country").GetProperty("$value").GetProperty("name").GetString().Should().Be("NZ");
    }

    [Fact]
    public async Task Expand_DepthZero_ReturnsStoredDocument()
    {
        var user = await PutAsync(Unique("user"), """{"name":"Ann"}""");
        var topic = await PutAsync(Unique("topic"), $$$"""{"author":{"$ref":"{{{user}}}"}}""");

        var document = await GetAsync($"/v1/roots/{topic}?expand=refs&depth=0");

        document.GetProperty("author").TryGetProperty("$value", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Expand_DanglingReference_MarksMissing()
    {
        var absent = Unique("user");
        var topic = await PutAsync(Unique("topic"), $$$"""{"author":{"$ref":"{{{absent}}}"}}""");

        var document = await GetAsync($"/v1/roots/{topic}?expand=refs");

        var author = document.GetProperty("author");
        author.GetProperty("$ref").GetString().Should().Be(absent);
        author.GetProperty("$missing").GetBoolean().Should().BeTrue();
        author.TryGetProperty("$value", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Expand_Cycle_StopsAtRootAlreadyOnPath()
    {
        var a = Unique("node");
        var b = Unique("node");
        await PutAsync(a, $$$"""{"name":"a","next":{"$ref":"{{{b}}}"}}""");
        await PutAsync(b, $$$"""{"name":"b","next":{"$ref":"{{{a}}}"},"self":{"$ref":"{{{b}}}"}}""");

        var document = await GetAsync($"/v1/roots/{a}?expand=refs&depth=5");

        var next = document.GetProperty("next").GetProperty("$value");
        next.GetProperty("name").GetString().Should().Be("b");
        var back = next.GetProperty("next");
        back.GetProperty("$ref").GetString().Should().Be(a);
        back.TryGetProperty("$value", out _).Should().BeFalse("a is the top of the path");
        next.GetProperty("self").TryGetProperty("$value", out _).Should().BeFalse("b is already on the path");
    }

    [Fact]
    public async Task Expand_SubtreeRead_ResolvesReferencesInSubtree()
    {
        var user = await PutAsync(Unique("user"), """{"name":"Ann"}""");
        var topic = await PutAsync(Unique("topic"), $$$"""{"replies":[{"by":{"$ref":"{{{user}}}"}}]}""");

        var reply = await GetAsync($"/v1/roots/{topic}/replies/0?expand=refs");

        reply.GetProperty("by").GetProperty("$value").GetProperty("name").GetString().Should().Be("Ann");
    }

    [Fact]
    public async Task Expand_InvalidRefTarget_IsLeftAlone()
    {
        var topic = await PutAsync(Unique("topic"), """{"link":{"$ref":"https://example.org/x"},"n":{"$ref":5}}""");

        var document = await GetAsync($"/v1/roots/{topic}?expand=refs");

        document.GetProperty("link").TryGetProperty("$missing", out _).Should().BeFalse();
        document.GetProperty("link").TryGetProperty("$value", out _).Should().BeFalse();
        document.GetProperty("n").GetProperty("$ref").GetInt32().Should().Be(5);
    }
}
