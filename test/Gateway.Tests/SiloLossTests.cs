using System.Net;
using Actors.Gateway.Tests.Infrastructure;

namespace Actors.Gateway.Tests;

/// <summary>
/// The silo goes away after the gateway connected: requests must get 503 + Retry-After (from Orleans' own connection
/// failures, not only from "never connected"), and the gateway itself stays alive.
/// </summary>
public sealed class SiloLossTests(OwnClusterFixture fixture) : IClassFixture<OwnClusterFixture>
{
    [Fact]
    public async Task Requests_SiloStoppedAfterConnect_Return503WithRetryAfter()
    {
        var client = fixture.Cluster.Client;
        var url = $"/v1/roots/topic/l{Guid.NewGuid():N}";
        using (var put = await client.SendAsync(HttpMethod.Put, url, "{}"))
        {
            put.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        await fixture.Cluster.StopSiloAsync();

        using var get = await client.FetchAsync(url);
        await get.ShouldBeProblemAsync(503, "unavailable");
        get.Headers.RetryAfter?.Delta.Should().BePositive();
        using var write = await client.SendAsync(HttpMethod.Put, url, """{"a":1}""", idempotencyKey: "after-loss");
        await write.ShouldBeProblemAsync(503, "unavailable");
        using var ready = await client.FetchAsync("/readyz");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        using var alive = await client.FetchAsync("/healthz");
        alive.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
