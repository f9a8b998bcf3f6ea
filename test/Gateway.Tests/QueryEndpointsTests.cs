using System.Net;
using System.Text.Json;
using Actors.Gateway.Tests.Infrastructure;

namespace Actors.Gateway.Tests;

/// <summary>Lists, index queries and index management end to end: gateway → Orleans client → silo → Redis.</summary>
public sealed class QueryEndpointsTests(ClusterFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static string UniqueType() => "q" + Guid.NewGuid().ToString("N")[..10];

    private async Task PutAsync(string type, string id, string json)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, $"/v1/roots/{type}/{id}", json);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    private async Task DeclareReadyAsync(string type, string name, string pointer)
    {
        using var declared = await Client.SendAsync(HttpMethod.Put, $"/v1/indexes/{type}/{name}", $$"""{"pointer":"{{pointer}}"}""");
        declared.StatusCode.Should().Be(HttpStatusCode.Created, await declared.Content.ReadAsStringAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var get = await Client.FetchAsync($"/v1/indexes/{type}/{name}");
            if ((await get.ReadJsonAsync()).GetProperty("state").GetString() == "ready")
            {
                return;
            }
            await Task.Delay(100, deadline.Token);
        }
    }

    private async Task<(List<string> Roots, string? Next, JsonElement Body)> QueryAsync(string type, string query)
    {
        using var response = await Client.FetchAsync($"/v1/roots/{type}{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        var roots = body.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("root").GetString()!).ToList();
        var next = body.GetProperty("next");
        return (roots, next.ValueKind == JsonValueKind.Null ? null : next.GetString(), body);
    }

    [Fact]
    public async Task List_PagesInRootIdOrder_WithNextUntilNull()
    {
        var type = UniqueType();
        var ids = Enumerable.Range(0, 12).Select(i => $"r{i:D2}").ToList();
        foreach (var id in ids.AsEnumerable().Reverse())
        {
            await PutAsync(type, id, """{"a":1}""");
        }

        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var (roots, after, _) = await QueryAsync(type, "?limit=5" + (next is null ? "" : "&after=" + Uri.EscapeDataString(next)));
            seen.AddRange(roots);
            next = after;
            pages++;
        }
        while (next is not null && pages < 10);

        seen.Should().Equal(ids.Select(id => $"{type}/{id}"));
        pages.Should().BeInRange(3, 4);
        var (descending, _, _) = await QueryAsync(type, "?order=desc&limit=3");
        descending.Should().Equal($"{type}/r11", $"{type}/r10", $"{type}/r09");
    }

    [Fact]
    public async Task IndexQuery_EqRangePrefixFilterAndDocuments()
    {
        var type = UniqueType();
        await PutAsync(type, "a", """{"status":"open","votes":5,"title":"Hello"}""");
        await PutAsync(type, "b", """{"status":"closed","votes":12,"title":"Help"}""");
        await PutAsync(type, "c", """{"status":"open","votes":30,"title":"World"}""");
        await PutAsync(type, "d", """{"status":3,"votes":"many"}""");
        await DeclareReadyAsync(type, "status", "/status");
        await DeclareReadyAsync(type, "votes", "/votes");
        await DeclareReadyAsync(type, "title", "/title");

        (await QueryAsync(type, "?index=status&eq=%22open%22")).Roots.Should().Equal($"{type}/a", $"{type}/c");
        (await QueryAsync(type, "?index=status&eq=3")).Roots.Should().Equal($"{type}/d");
        (await QueryAsync(type, "?index=votes&ge=5&lt=30")).Roots.Should().Equal($"{type}/a", $"{type}/b");
        (await QueryAsync(type, "?index=votes&gt=5&order=desc")).Roots.Should().Equal($"{type}/c", $"{type}/b");
        (await QueryAsync(type, "?index=title&prefix=Hel")).Roots.Should().Equal($"{type}/a", $"{type}/b");
        (await QueryAsync(type, "?index=status&eq=%22open%22&filter=%2Fvotes%2Cgt%2C10")).Roots.Should().Equal($"{type}/c");
        var (_, _, body) = await QueryAsync(type, "?index=votes&eq=12&include=doc");
        var item = body.GetProperty("items")[0];
        item.GetProperty("version").GetInt64().Should().Be(1);
        item.GetProperty("document").GetProperty("title").GetString().Should().Be("Help");
    }

    [Fact]
    public async Task Writes_AreVisibleToTheNextQuery_AndDeletesLeaveIt()
    {
        var type = UniqueType();
        await PutAsync(type, "x", """{"status":"open"}""");
        await DeclareReadyAsync(type, "status", "/status");

        await PutAsync(type, "y", """{"status":"open"}""");
        (await QueryAsync(type, "?index=status&eq=%22open%22")).Roots.Should().Equal($"{type}/x", $"{type}/y");
        using (var merge = await Client.SendAsync(HttpMethod.Patch, $"/v1/roots/{type}/x", """{"status":"closed"}""", HttpExtensions.MergePatch))
        {
            merge.IsSuccessStatusCode.Should().BeTrue();
        }
        (await QueryAsync(type, "?index=status&eq=%22open%22")).Roots.Should().Equal($"{type}/y");
        (await QueryAsync(type, "?index=status&eq=%22closed%22")).Roots.Should().Equal($"{type}/x");
        using (var delete = await Client.SendAsync(HttpMethod.Delete, $"/v1/roots/{type}/y"))
        {
            delete.IsSuccessStatusCode.Should().BeTrue();
        }
        (await QueryAsync(type, "?index=status&eq=%22open%22")).Roots.Should().BeEmpty();
        (await QueryAsync(type, "")).Roots.Should().Equal($"{type}/x");
    }

    [Fact]
    public async Task Indexes_DeclareIdenticalConflictListShowDrop()
    {
        var type = UniqueType();

        using var created = await Client.SendAsync(HttpMethod.Put, $"/v1/indexes/{type}/status", """{"pointer":"/status"}""");
        using var identical = await Client.SendAsync(HttpMethod.Put, $"/v1/indexes/{type}/status", """{"pointer":"/status"}""");
        using var conflict = await Client.SendAsync(HttpMethod.Put, $"/v1/indexes/{type}/status", """{"pointer":"/state"}""");
        using var list = await Client.FetchAsync($"/v1/indexes/{type}");
        using var dropped = await Client.SendAsync(HttpMethod.Delete, $"/v1/indexes/{type}/status");
        using var gone = await Client.FetchAsync($"/v1/indexes/{type}/status");
        using var dropAgain = await Client.SendAsync(HttpMethod.Delete, $"/v1/indexes/{type}/status");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.Location!.OriginalString.Should().Be($"/v1/indexes/{type}/status");
        var index = await created.ReadJsonAsync();
        index.GetProperty("pointer").GetString().Should().Be("/status");
        index.GetProperty("state").GetString().Should().Be("ready", "a type without roots needs no build");
        index.GetProperty("progress").GetDouble().Should().Be(1);
        identical.StatusCode.Should().Be(HttpStatusCode.OK);
        (await conflict.ShouldBeProblemAsync(409, "index-conflict")).GetProperty("detail").GetString().Should().Contain("/status");
        (await list.ReadJsonAsync()).GetProperty("indexes").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Should().Equal("status");
        dropped.StatusCode.Should().Be(HttpStatusCode.OK);
        await gone.ShouldBeProblemAsync(404, "index-not-found");
        await dropAgain.ShouldBeProblemAsync(404, "index-not-found");
    }

    [Fact]
    public async Task BadQueries_AreRefusedNamingTheFix()
    {
        var type = UniqueType();
        await PutAsync(type, "a", """{"status":"open"}""");
        await PutAsync(type, "b", """{"status":"open"}""");
        await DeclareReadyAsync(type, "status", "/status");
        var (_, next, _) = await QueryAsync(type, "?limit=1");
        next.Should().NotBeNull();

        using var unknown = await Client.FetchAsync($"/v1/roots/{type}?index=colour&eq=%22red%22");
        var tampered = next![..^2] + (next[^2] == 'A' ? "B" : "A") + next[^1];
        using var tamperedToken = await Client.FetchAsync($"/v1/roots/{type}?limit=1&after={Uri.EscapeDataString(tampered)}");
        using var foreignToken = await Client.FetchAsync($"/v1/roots/{type}?index=status&eq=%22open%22&after={Uri.EscapeDataString(next)}");
        using var otherType = await Client.FetchAsync($"/v1/roots/{UniqueType()}?limit=1&after={Uri.EscapeDataString(next)}");
        using var badPointer = await Client.SendAsync(HttpMethod.Put, $"/v1/indexes/{type}/bad", """{"pointer":"status"}""");

        (await unknown.ShouldBeProblemAsync(400, "unknown-index")).GetProperty("detail").GetString().Should().Contain("status");
        await tamperedToken.ShouldBeProblemAsync(400, "invalid-query");
        await foreignToken.ShouldBeProblemAsync(400, "invalid-query");
        await otherType.ShouldBeProblemAsync(400, "invalid-query");
        await badPointer.ShouldBeProblemAsync(400, "invalid-index");
    }
}
