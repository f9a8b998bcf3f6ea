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
}
