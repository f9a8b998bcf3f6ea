using Actors.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Actors.Gateway.Tests;

/// <summary>How the URL path after <c>/v1/roots/{type}/{id}</c> becomes a JSON Pointer.</summary>
public sealed class PointerPathUnitTests
{
    private static HttpRequest RequestFor(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return context.Request;
    }

    [Theory]
    [InlineData("/v1/roots/topic/1/title", "/title")]
    [InlineData("/v1/roots/topic/1/replies/3/body?expand=refs", "/replies/3/body")]
    [InlineData("/v1/roots/topic/1/a~1b/m~0n", "/a~1b/m~0n")]
    [InlineData("/v1/roots/topic/1/a%2Fb", "/a~1b")]
    [InlineData("/v1/roots/topic/1/%C3%A9", "/é")]
    [InlineData("/v1/roots/topic/1/with%20space", "/with space")]
    [InlineData("/v1/roots/topic/1/a%7E0b", "/a~0b")]
    [InlineData("/v1/roots/topic/1/a//b", "/a//b")]
    [InlineData("/v1/roots/topic/1/.../a.b/.c/d.", "/.../a.b/.c/d.")]
    [InlineData("/v1/roots/topic/1/%2E%2E%2E/%252E", "/.../%2E")]
    public void TryGetPointer_ValidSegments_MapsEachSegmentToOneToken(string rawTarget, string expected)
    {
        PointerPath.TryGetPointer(RequestFor(rawTarget), out var pointer, out var error).Should().BeTrue(error?.Detail);

        pointer.Should().Be(expected);
    }

    [Theory]
    [InlineData("/v1/roots/topic/1/a~2")]
    [InlineData("/v1/roots/topic/1/a~")]
    [InlineData("/v1/roots/topic/1/%FF")]
    [InlineData("/v1/roots/topic/1/%G1")]
    public void TryGetPointer_BadEscapeOrEncoding_IsInvalidPointer(string rawTarget)
    {
        PointerPath.TryGetPointer(RequestFor(rawTarget), out _, out var error).Should().BeFalse();

        error!.Type.Name.Should().Be("invalid-pointer");
    }

    [Theory]
    [InlineData("/v1/roots/topic/./42/x", ".")]
    [InlineData("/v1/roots/topic/%2E/42/x", "%2E")]
    [InlineData("/v1/roots/topic/43/../42/x", "..")]
    [InlineData("/v1/roots/topic/42/a/./b", ".")]
    [InlineData("/v1/roots/topic/42/a/../b", "..")]
    [InlineData("/v1/roots/topic/42/a/%2e%2E", "%2e%2E")]
    [InlineData("/v1/roots/topic/42/a/.%2E/b", ".%2E")]
    [InlineData("/v1/./roots/topic/42/x", ".")]
    [InlineData("http://gateway.example/v1/roots/topic/./42/x", ".")]
    public void TryGetPointer_DotSegment_IsRefusedNamingIt(string rawTarget, string segment)
    {
        // Routing sees the path with dot segments removed; a pointer taken from the raw path would address something else.
        PointerPath.TryGetPointer(RequestFor(rawTarget), out _, out var error).Should().BeFalse();

        error!.Type.Name.Should().Be("dot-segment");
        error.Detail.Should().Contain($"'{segment}'");
    }
}
