using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Actors.Gateway.Tests.Infrastructure;

namespace Actors.Gateway.Tests;

/// <summary>
/// The gateway started with no silo running: it must start, stay alive, refuse cluster work with 503 + Retry-After,
/// and still refuse bad input with 4xx (validation happens before any grain call).
/// </summary>
public sealed class UnreachableClusterTests(UnreachableClusterFixture fixture) : IClassFixture<UnreachableClusterFixture>
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("GET", "/v1/roots/topic/1", null, null)]
    [InlineData("GET", "/v1/roots/topic/1/title", null, null)]
    [InlineData("PUT", "/v1/roots/topic/1", "{\"title\":\"hi\"}", HttpExtensions.Json)]
    [InlineData("PATCH", "/v1/roots/topic/1", "{\"title\":\"hi\"}", HttpExtensions.MergePatch)]
    [InlineData("PATCH", "/v1/roots/topic/1", "[]", HttpExtensions.JsonPatch)]
    [InlineData("DELETE", "/v1/roots/topic/1", null, null)]
    [InlineData("GET", "/v1/cluster", null, null)]
    [InlineData("GET", "/v1/roots/topic", null, null)]
    [InlineData("GET", "/v1/roots/topic?index=status&eq=%22open%22", null, null)]
    [InlineData("GET", "/v1/indexes/topic", null, null)]
    [InlineData("GET", "/v1/indexes/topic/status", null, null)]
    [InlineData("PUT", "/v1/indexes/topic/status", "{\"pointer\":\"/status\"}", HttpExtensions.Json)]
    [InlineData("DELETE", "/v1/indexes/topic/status", null, null)]
    public async Task Route_NoSiloRunning_Returns503WithRetryAfter(string method, string url, string? body, string? contentType)
    {
        using var response = await Client.SendAsync(new HttpMethod(method), url, body, contentType);

        await response.ShouldBeProblemAsync(503, "unavailable");
        response.Headers.RetryAfter?.Delta.Should().Be(TimeSpan.FromSeconds(UnreachableClusterFixture.RetryAfterSeconds));
    }

    [Fact]
    public async Task Healthz_NoSiloRunning_Returns200()
    {
        using var response = await Client.FetchAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readyz_NoSiloRunning_Returns503()
    {
        using var response = await Client.FetchAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Unhealthy");
    }

    [Fact]
    public async Task OpenApi_NoSiloRunning_ServesDocumentWithEveryRoute()
    {
        using var response = await Client.FetchAsync("/openapi/v1.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var paths = (await response.ReadJsonAsync()).GetProperty("paths");
        paths.TryGetProperty("/v1/roots/{type}/{id}", out var root).Should().BeTrue();
        root.TryGetProperty("get", out _).Should().BeTrue();
        root.TryGetProperty("put", out _).Should().BeTrue();
        root.TryGetProperty("patch", out _).Should().BeTrue();
        root.TryGetProperty("delete", out _).Should().BeTrue();
        root.GetProperty("put").GetProperty("parameters").EnumerateArray()
            .Select(parameter => parameter.GetProperty("name").GetString())
            .Should().Contain(["If-Match", "Idempotency-Key"]);
        root.GetProperty("patch").GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(content => content.Name)
            .Should().BeEquivalentTo([HttpExtensions.MergePatch, HttpExtensions.JsonPatch]);
        root.GetProperty("put").GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(content => content.Name)
            .Should().BeEquivalentTo([HttpExtensions.Json]);
        paths.TryGetProperty("/v1/roots/{type}/{id}/{pointer}", out _).Should().BeTrue();
        paths.TryGetProperty("/v1/cluster", out _).Should().BeTrue();
        paths.GetProperty("/v1/roots/{type}").TryGetProperty("get", out _).Should().BeTrue();
        paths.GetProperty("/v1/indexes/{type}").TryGetProperty("get", out _).Should().BeTrue();
        paths.GetProperty("/v1/indexes/{type}/{name}").EnumerateObject().Select(method => method.Name)
            .Should().Contain(["get", "put", "delete"]);
    }

    [Theory]
    [InlineData("/v1/roots/topic?limit=0", "from 1 to 1000")]
    [InlineData("/v1/roots/topic?limit=1001", "from 1 to 1000")]
    [InlineData("/v1/roots/topic?index=status&eq=open", "not a JSON literal")]
    [InlineData("/v1/roots/topic?index=status&eq=%22open%22&ge=%22a%22", "not several")]
    [InlineData("/v1/roots/topic?eq=1", "add index=<name>")]
    [InlineData("/v1/roots/topic?sort=asc", "unknown parameter 'sort'")]
    [InlineData("/v1/roots/topic?filter=%2Fn%2Cabout%2C3", "<pointer>,<op>,<json>")]
    public async Task Query_BadParameter_Returns400WithoutContactingCluster(string url, string fix)
    {
        using var response = await Client.FetchAsync(url);

        var problem = await response.ShouldBeProblemAsync(400, "invalid-query");
        problem.GetProperty("detail").GetString().Should().Contain(fix);
    }

    [Theory]
    [InlineData("/v1/indexes/topic/Status", "{\"pointer\":\"/status\"}", "invalid-index", "lowercase letter")]
    [InlineData("/v1/indexes/topic/status", "{\"pointer\":3}", "invalid-index", "JSON Pointer string")]
    [InlineData("/v1/indexes/topic/status", "{\"pointer\":\"/a\",\"x\":1}", "invalid-index", "only member")]
    [InlineData("/v1/indexes/topic/status", "[\"/status\"]", "invalid-index", "an object")]
    [InlineData("/v1/indexes/topic/status", "{\"pointer\":", "invalid-json", "not valid JSON")]
    [InlineData("/v1/indexes/Topic/status", "{\"pointer\":\"/status\"}", "invalid-root-id", "lowercase letter")]
    public async Task DeclareIndex_BadRequest_Returns400WithoutContactingCluster(string url, string body, string type, string fix)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, url, body, HttpExtensions.Json);

        var problem = await response.ShouldBeProblemAsync(400, type);
        problem.GetProperty("detail").GetString().Should().Contain(fix);
    }

    [Theory]
    [InlineData("/v1/roots/Topic/1", "must start with a lowercase letter")]
    [InlineData("/v1/roots/topic/a%20b", "contains")]
    [InlineData("/v1/roots/topic/a%2Fb", "contains")]
    public async Task Get_InvalidRootId_Returns400InvalidRootId(string url, string because)
    {
        using var response = await Client.FetchAsync(url);

        var problem = await response.ShouldBeProblemAsync(400, "invalid-root-id");
        problem.GetProperty("detail").GetString().Should().Contain(because);
    }

    [Fact]
    public async Task Put_InvalidRootId_Returns400NotContactingCluster()
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/v1/roots/9topic/1", "{}");

        await response.ShouldBeProblemAsync(400, "invalid-root-id");
    }

    [Theory]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("{'a':1}", "not valid JSON")]
    [InlineData("", "empty")]
    [InlineData("{} {}", "not valid JSON")]
    public async Task Put_MalformedJson_Returns400InvalidJson(string body, string because)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/v1/roots/topic/1", body);

        var problem = await response.ShouldBeProblemAsync(400, "invalid-json");
        problem.GetProperty("detail").GetString().Should().Contain(because);
    }

    [Fact]
    public async Task Put_InvalidUtf8_Returns400InvalidJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/roots/topic/1")
        {
            Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(HttpExtensions.Json);

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(400, "invalid-json");
    }

    [Theory]
    [InlineData("PUT", "text/plain")]
    [InlineData("PUT", HttpExtensions.MergePatch)]
    [InlineData("PUT", "application/json; charset=latin1")]
    [InlineData("PATCH", HttpExtensions.Json)]
    [InlineData("PATCH", "text/plain")]
    [InlineData("PATCH", "application/merge-patch+json; charset=utf-16")]
    public async Task Write_UnsupportedContentType_Returns415(string method, string contentType)
    {
        using var response = await Client.SendAsync(new HttpMethod(method), "/v1/roots/topic/1", "{}", contentType);

        await response.ShouldBeProblemAsync(415, "unsupported-media-type");
        if (method == "PATCH")
        {
            response.Headers.GetValues("Accept-Patch").Single().Should().Contain(HttpExtensions.MergePatch).And.Contain(HttpExtensions.JsonPatch);
        }
    }

    [Fact]
    public async Task Put_NoContentType_Returns415()
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/v1/roots/topic/1", "{}", contentType: null);

        await response.ShouldBeProblemAsync(415, "unsupported-media-type");
    }

    [Theory]
    [InlineData("3")]
    [InlineData("W/\"3\"")]
    [InlineData("*")]
    [InlineData("\"three\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("\"-1\"")]
    public async Task Put_MalformedIfMatch_Returns400InvalidIfMatch(string ifMatch)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/v1/roots/topic/1", "{}", ifMatch: ifMatch);

        await response.ShouldBeProblemAsync(400, "invalid-if-match");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    public async Task Put_InvalidIdempotencyKey_Returns400InvalidIdempotencyKey(string key)
    {
        using var request = HttpExtensions.Request(HttpMethod.Put, "/v1/roots/topic/1", "{}");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key).Should().BeTrue();

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(400, "invalid-idempotency-key");
    }

    [Fact]
    public async Task Put_IdempotencyKeyTooLong_Returns400InvalidIdempotencyKey()
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "/v1/roots/topic/1", "{}", idempotencyKey: new string('k', 129));

        await response.ShouldBeProblemAsync(400, "invalid-idempotency-key");
    }

    [Fact]
    public async Task Put_IdempotencyKeyTwice_Returns400InvalidIdempotencyKey()
    {
        using var request = HttpExtensions.Request(HttpMethod.Put, "/v1/roots/topic/1", "{}");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ["a", "b"]);

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(400, "invalid-idempotency-key");
    }

    [Theory]
    [InlineData("?expand=refs&depth=6", "invalid-depth")]
    [InlineData("?expand=refs&depth=-1", "invalid-depth")]
    [InlineData("?expand=refs&depth=x", "invalid-depth")]
    [InlineData("?depth=9", "invalid-depth")]
    [InlineData("?expand=all", "invalid-expand")]
    public async Task Get_BadExpandQuery_Returns400(string query, string type)
    {
        using var response = await Client.FetchAsync("/v1/roots/topic/1" + query);

        await response.ShouldBeProblemAsync(400, type);
    }

    [Theory]
    [InlineData("/v1/roots/topic/1/a~2b")]
    [InlineData("/v1/roots/topic/1/a~")]
    [InlineData("/v1/roots/topic/1/%FF")]
    public async Task Get_InvalidPointer_Returns400InvalidPointer(string url)
    {
        using var response = await Client.FetchAsync(url);

        await response.ShouldBeProblemAsync(400, "invalid-pointer");
    }

    [Fact]
    public async Task Put_ContentLengthOverLimit_Returns413BeforeReadingBody()
    {
        // Expect: 100-continue: the gateway answers before the body is sent, as it must for a body it will not read.
        using var request = HttpExtensions.Request(HttpMethod.Put, "/v1/roots/topic/1", "{\"x\":\"" + new string('a', 100_000) + "\"}");
        request.Headers.ExpectContinue = true;

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(413, "too-large");
    }

    [Fact]
    public async Task Put_ChunkedBodyOverLimit_Returns413()
    {
        var body = Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 100_000) + "\"}");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/roots/topic/1") { Content = new StreamContent(new MemoryStream(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(HttpExtensions.Json);
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(413, "too-large");
    }

    [Fact]
    public async Task UnknownRoute_Returns404RouteNotFound()
    {
        using var response = await Client.FetchAsync("/v2/nothing");

        await response.ShouldBeProblemAsync(404, "route-not-found");
    }

    [Fact]
    public async Task Post_OnRoot_Returns405MethodNotAllowed()
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/v1/roots/topic/1", "{}");

        await response.ShouldBeProblemAsync(405, "method-not-allowed");
    }

    [Theory]
    [InlineData("GET", "/v1/roots/topic/./1/x")]
    [InlineData("GET", "/v1/roots/topic/%2E/1/x")]
    [InlineData("GET", "/v1/roots/topic/2/../1/x")]
    [InlineData("GET", "/v1/roots/topic/1/./x")]
    [InlineData("GET", "/v1/roots/topic/1/a/../x")]
    [InlineData("GET", "/v1/roots/topic/1/a/%2E%2e")]
    [InlineData("GET", "/v1/roots/topic/1/..")]
    [InlineData("GET", "/v1/./roots/topic/1")]
    [InlineData("PUT", "/v1/roots/topic/./1")]
    [InlineData("DELETE", "/v1/roots/topic/2/../1")]
    public async Task Request_DotSegmentInRawPath_Returns400DotSegment(string method, string target)
    {
        // Sent as-is (HttpClient would remove the segments first); nothing may reach the cluster, which would answer 503.
        var (status, body) = await RawHttp.SendAsync(Client.BaseAddress!, method, target, method == "PUT" ? "{}" : null);

        ((int)status).Should().Be(400, "the body was {0}", body);
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("type").GetString().Should().Be(HttpExtensions.ProblemBase + "dot-segment");
    }

    [Theory]
    [InlineData("/v1/roots/topic/1/...")]
    [InlineData("/v1/roots/topic/1/a.b/.c")]
    [InlineData("/v1/roots/topic/t.1/x.")]
    public async Task Get_DotsInsideSegments_AreOrdinaryKeys(string target)
    {
        var (status, body) = await RawHttp.SendAsync(Client.BaseAddress!, "GET", target);

        // Past validation: only the missing cluster stops it.
        ((int)status).Should().Be(503, "the body was {0}", body);
    }
}
