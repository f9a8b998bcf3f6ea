using System.Net;
using System.Text.Json;
using Actors.Gateway.Tests.Infrastructure;

namespace Actors.Gateway.Tests;

/// <summary>The roots API end to end: gateway on Kestrel → Orleans client → in-process silo with the real root grain.</summary>
public sealed class RootsEndpointsTests(ClusterFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static string NewRoot() => $"/v1/roots/topic/t{Guid.NewGuid():N}";

    [Fact]
    public async Task Lifecycle_PutGetMergePatchDelete_VersionsAndETagsRise()
    {
        var url = NewRoot();

        using var put = await Client.SendAsync(HttpMethod.Put, url, """{"title":"Hello","tags":["a"]}""");
        put.StatusCode.Should().Be(HttpStatusCode.Created);
        put.Headers.Location!.OriginalString.Should().Be(url);
        put.ETag().Should().Be("\"1\"");
        var written = await put.ReadJsonAsync();
        written.GetProperty("root").GetString().Should().Be(url["/v1/roots/".Length..]);
        written.GetProperty("version").GetInt64().Should().Be(1);
        written.GetProperty("duplicate").GetBoolean().Should().BeFalse();
        written.TryGetProperty("deleted", out _).Should().BeFalse();

        using var get = await Client.FetchAsync(url);
        get.StatusCode.Should().Be(HttpStatusCode.OK);
        get.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        get.ETag().Should().Be("\"1\"");
        (await get.ReadJsonAsync()).GetProperty("title").GetString().Should().Be("Hello");

        using var merge = await Client.SendAsync(HttpMethod.Patch, url, """{"title":"Hi","tags":null}""", HttpExtensions.MergePatch, ifMatch: "\"1\"");
        merge.StatusCode.Should().Be(HttpStatusCode.OK);
        merge.ETag().Should().Be("\"2\"");
        (await merge.ReadJsonAsync()).GetProperty("version").GetInt64().Should().Be(2);

        using var patch = await Client.SendAsync(HttpMethod.Patch, url, """[{"op":"add","path":"/n","value":1}]""", HttpExtensions.JsonPatch);
        patch.StatusCode.Should().Be(HttpStatusCode.OK);
        patch.ETag().Should().Be("\"3\"");

        using var after = await Client.FetchAsync(url);
        var document = await after.ReadJsonAsync();
        document.GetProperty("title").GetString().Should().Be("Hi");
        document.TryGetProperty("tags", out _).Should().BeFalse();
        document.GetProperty("n").GetInt32().Should().Be(1);
        after.ETag().Should().Be("\"3\"");

        using var delete = await Client.SendAsync(HttpMethod.Delete, url);
        delete.StatusCode.Should().Be(HttpStatusCode.OK);
        delete.ETag().Should().Be("\"4\"");
        var deleted = await delete.ReadJsonAsync();
        deleted.GetProperty("version").GetInt64().Should().Be(4);
        deleted.GetProperty("deleted").GetBoolean().Should().BeTrue();
        deleted.GetProperty("duplicate").GetBoolean().Should().BeFalse();

        using var gone = await Client.FetchAsync(url);
        await gone.ShouldBeProblemAsync(404, "root-not-found");

        // A root re-created after a delete continues its count (docs/data-model.md).
        using var again = await Client.SendAsync(HttpMethod.Put, url, "{}");
        again.StatusCode.Should().Be(HttpStatusCode.Created);
        again.ETag().Should().Be("\"5\"");
    }

    [Fact]
    public async Task Put_StaleIfMatch_Returns412WithCurrentVersionAndETag()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""")).Dispose();
        (await Client.SendAsync(HttpMethod.Put, url, """{"a":2}""")).Dispose();

        using var response = await Client.SendAsync(HttpMethod.Put, url, """{"a":3}""", ifMatch: "\"1\"");

        var problem = await response.ShouldBeProblemAsync(412, "version-conflict");
        problem.GetProperty("currentVersion").GetInt64().Should().Be(2);
        response.ETag().Should().Be("\"2\"");
        using var get = await Client.FetchAsync(url);
        (await get.ReadJsonAsync()).GetProperty("a").GetInt32().Should().Be(2, "a refused write changes nothing");
    }

    [Fact]
    public async Task Delete_StaleIfMatch_Returns412()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, "{}")).Dispose();

        using var response = await Client.SendAsync(HttpMethod.Delete, url, ifMatch: "\"7\"");

        (await response.ShouldBeProblemAsync(412, "version-conflict")).GetProperty("currentVersion").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Put_SameIdempotencyKeyTwice_SecondIsDuplicateWithSameResponse()
    {
        var url = NewRoot();
        var key = Guid.NewGuid().ToString();

        using var first = await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""", idempotencyKey: key);
        using var second = await Client.SendAsync(HttpMethod.Put, url, """{ "a" : 1 }""", idempotencyKey: key);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Created, "a duplicate returns the original result");
        second.ETag().Should().Be(first.ETag());
        var one = await first.ReadJsonAsync();
        var two = await second.ReadJsonAsync();
        one.GetProperty("duplicate").GetBoolean().Should().BeFalse();
        two.GetProperty("duplicate").GetBoolean().Should().BeTrue();
        two.GetProperty("version").GetInt64().Should().Be(one.GetProperty("version").GetInt64());
        two.GetProperty("root").GetString().Should().Be(one.GetProperty("root").GetString());
        using var get = await Client.FetchAsync(url);
        get.ETag().Should().Be("\"1\"", "the second request changed nothing");
    }

    [Fact]
    public async Task Patch_SameIdempotencyKeyWithStaleIfMatch_IsDuplicateNotConflict()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, "{}")).Dispose();
        var key = Guid.NewGuid().ToString();

        using var first = await Client.SendAsync(HttpMethod.Patch, url, """{"a":1}""", HttpExtensions.MergePatch, ifMatch: "\"1\"", idempotencyKey: key);
        using var retry = await Client.SendAsync(HttpMethod.Patch, url, """{"a":1}""", HttpExtensions.MergePatch, ifMatch: "\"1\"", idempotencyKey: key);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        (await retry.ReadJsonAsync()).GetProperty("duplicate").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Put_SameIdempotencyKeyDifferentBody_Returns422()
    {
        var url = NewRoot();
        var key = Guid.NewGuid().ToString();
        (await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""", idempotencyKey: key)).Dispose();

        using var response = await Client.SendAsync(HttpMethod.Put, url, """{"a":2}""", idempotencyKey: key);

        var problem = await response.ShouldBeProblemAsync(422, "idempotency-key-reused");
        problem.GetProperty("detail").GetString().Should().Contain("Idempotency-Key");
    }

    [Fact]
    public async Task Write_SameIdempotencyKeyDifferentMethod_Returns422()
    {
        var url = NewRoot();
        var key = Guid.NewGuid().ToString();
        (await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""", idempotencyKey: key)).Dispose();

        using var response = await Client.SendAsync(HttpMethod.Patch, url, """{"a":1}""", HttpExtensions.MergePatch, idempotencyKey: key);

        await response.ShouldBeProblemAsync(422, "idempotency-key-reused");
    }

    [Fact]
    public async Task Put_WithoutIdempotencyKey_EachRequestIsANewWrite()
    {
        var url = NewRoot();

        using var first = await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""");
        using var second = await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""");

        first.ETag().Should().Be("\"1\"");
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        second.ETag().Should().Be("\"2\"");
        (await second.ReadJsonAsync()).GetProperty("duplicate").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Merge_AbsentRoot_CreatesItWith201()
    {
        var url = NewRoot();

        using var response = await Client.SendAsync(HttpMethod.Patch, url, """{"a":1}""", HttpExtensions.MergePatch);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.OriginalString.Should().Be(url);
    }

    [Fact]
    public async Task Get_AbsentRoot_Returns404RootNotFound()
    {
        using var response = await Client.FetchAsync(NewRoot());

        await response.ShouldBeProblemAsync(404, "root-not-found");
    }

    [Fact]
    public async Task Get_SubtreeOfAbsentRoot_Returns404RootNotFound()
    {
        using var response = await Client.FetchAsync(NewRoot() + "/title");

        await response.ShouldBeProblemAsync(404, "root-not-found");
    }

    [Fact]
    public async Task Delete_AbsentRoot_Returns404RootNotFound()
    {
        using var response = await Client.SendAsync(HttpMethod.Delete, NewRoot());

        await response.ShouldBeProblemAsync(404, "root-not-found");
    }

    [Fact]
    public async Task Get_Pointer_ReturnsSubtreeWithRootETag()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, """{"replies":[{"body":"x"},{"body":"y","n":2}],"a/b":{"m~n":"slash-tilde"},"é":"accent","":"empty"}""")).Dispose();

        using var reply = await Client.FetchAsync(url + "/replies/1");
        reply.StatusCode.Should().Be(HttpStatusCode.OK);
        reply.ETag().Should().Be("\"1\"");
        (await reply.ReadJsonAsync()).GetProperty("body").GetString().Should().Be("y");

        using var scalar = await Client.FetchAsync(url + "/replies/1/n");
        (await scalar.ReadJsonAsync()).GetInt32().Should().Be(2);

        using var escaped = await Client.FetchAsync(url + "/a~1b/m~0n");
        (await escaped.ReadJsonAsync()).GetString().Should().Be("slash-tilde");

        using var encodedSlash = await Client.FetchAsync(url + "/a%2Fb/m~0n");
        (await encodedSlash.ReadJsonAsync()).GetString().Should().Be("slash-tilde");

        using var accent = await Client.FetchAsync(url + "/%C3%A9");
        (await accent.ReadJsonAsync()).GetString().Should().Be("accent");
    }

    [Fact]
    public async Task Get_DotSegmentBeforePointer_IsRefusedNotReadFromAnotherPointer()
    {
        var id = $"t{Guid.NewGuid():N}";
        (await Client.SendAsync(HttpMethod.Put, $"/v1/roots/topic/{id}", $$$"""{"x":"right","{{{id}}}":{"x":"misread"}}""")).Dispose();

        // Routing removes "./" and finds topic/{id}; the pointer must not then be read from the raw path as /{id}/x.
        var (status, body) = await RawHttp.SendAsync(Client.BaseAddress!, "GET", $"/v1/roots/topic/./{id}/x");

        ((int)status).Should().Be(400, "the body was {0}", body);
        body.Should().Contain(HttpExtensions.ProblemBase + "dot-segment").And.NotContain("misread");
    }

    [Fact]
    public async Task Get_TrailingSlash_ReturnsWholeDocument()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, """{"":"empty","a":1}""")).Dispose();

        using var response = await Client.FetchAsync(url + "/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Get_EmptyKeyInsideObject_IsAddressedByEmptySegment()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, """{"o":{"":"empty"}}""")).Dispose();

        using var response = await Client.FetchAsync(url + "/o/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetString().Should().Be("empty");
    }

    [Theory]
    [InlineData("/missing")]
    [InlineData("/replies/5")]
    [InlineData("/replies/-")]
    [InlineData("/replies/01")]
    [InlineData("/replies/0/body/deeper")]
    public async Task Get_PointerToNothing_Returns404PointerNotFound(string pointer)
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, """{"replies":[{"body":"x"}]}""")).Dispose();

        using var response = await Client.FetchAsync(url + pointer);

        await response.ShouldBeProblemAsync(404, "pointer-not-found");
    }

    [Fact]
    public async Task Put_NotAnObject_Returns400NotAnObject()
    {
        using var response = await Client.SendAsync(HttpMethod.Put, NewRoot(), "[1,2]");

        await response.ShouldBeProblemAsync(400, "not-an-object");
    }

    [Fact]
    public async Task Put_TooDeep_Returns400TooDeep()
    {
        var body = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 80)) + string.Concat(Enumerable.Repeat("]", 80)) + "}";

        using var response = await Client.SendAsync(HttpMethod.Put, NewRoot(), body);

        await response.ShouldBeProblemAsync(400, "too-deep");
    }

    [Theory]
    [InlineData("""{"op":"add"}""")]
    [InlineData("""[{"op":"frobnicate","path":"/a"}]""")]
    [InlineData("""[{"op":"add","value":1}]""")]
    public async Task Patch_MalformedJsonPatch_Returns400InvalidPatch(string patch)
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, "{}")).Dispose();

        using var response = await Client.SendAsync(HttpMethod.Patch, url, patch, HttpExtensions.JsonPatch);

        await response.ShouldBeProblemAsync(400, "invalid-patch");
    }

    [Fact]
    public async Task Patch_FailingTest_Returns409PatchFailedAndChangesNothing()
    {
        var url = NewRoot();
        (await Client.SendAsync(HttpMethod.Put, url, """{"a":1}""")).Dispose();

        using var response = await Client.SendAsync(HttpMethod.Patch, url,
            """[{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":1}]""", HttpExtensions.JsonPatch);

        await response.ShouldBeProblemAsync(409, "patch-failed");
        using var get = await Client.FetchAsync(url);
        get.ETag().Should().Be("\"1\"");
        (await get.ReadJsonAsync()).GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Put_DocumentOverOneMiB_Returns413FromStore()
    {
        // Under the gateway's 2 MiB body limit, over the store's 1 MiB document limit.
        var body = JsonSerializer.Serialize(new { blob = new string('x', 1024 * 1024 + 100) });

        using var response = await Client.SendAsync(HttpMethod.Put, NewRoot(), body);

        await response.ShouldBeProblemAsync(413, "too-large");
    }

    [Fact]
    public async Task Put_BodyOverGatewayLimit_Returns413()
    {
        var body = JsonSerializer.Serialize(new { blob = new string('x', 3 * 1024 * 1024) });
        using var request = HttpExtensions.Request(HttpMethod.Put, NewRoot(), body);
        request.Headers.ExpectContinue = true;

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(413, "too-large");
    }
}
