using System.Net;
using System.Net.Http.Headers;
using Actors.Gateway.Http;
using Actors.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Tests;

/// <summary>
/// Limits per caller (docs/security.md): a token bucket per identity answers 429 with Retry-After once a caller has used
/// its share, without touching other callers or the health routes; a slow body reserves memory as it arrives.
/// </summary>
public sealed class CallerLimitsTests(ClusterFixture fixture)
{
    private const string Key = "limits-test-key-0123456789";

    [Fact]
    public async Task Caller_OverItsShare_Gets429WithRetryAfter_OthersAndHealthAreNotLimited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>
        {
            ["Gateway:RequestsPerSecondPerCaller"] = "2",
            ["Gateway:BurstPerCaller"] = "5",
            ["Gateway:Auth:Anonymous:0"] = "reader:*",
            ["Gateway:Auth:ApiKeys:0:Name"] = "other-caller",
            ["Gateway:Auth:ApiKeys:0:Key"] = Key,
            ["Gateway:Auth:ApiKeys:0:Roles:0"] = "reader:*",
        });
        using var client = gateway.CreateClient();
        await ClusterFixture.WaitUntilReadyAsync(client);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await client.FetchAsync("/v1/roots/limits/r1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        limited.Should().NotBeNull("20 requests at once exceed a burst of 5 (got {0})", string.Join(", ", statuses));
        using (limited)
        {
            var problem = await limited!.ShouldBeProblemAsync(429, "rate-limited");
            problem.GetProperty("detail").GetString().Should().Contain("Gateway:RequestsPerSecondPerCaller");
            limited.Headers.RetryAfter!.Delta.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        }
        statuses.Count(s => s == HttpStatusCode.NotFound).Should().BeInRange(5, 7, "the burst of 5 (plus what refilled meanwhile) passed");

        using var other = new HttpRequestMessage(HttpMethod.Get, "/v1/roots/limits/r1");
        other.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var otherResponse = await client.SendAsync(other, ct);
        otherResponse.StatusCode.Should().Be(HttpStatusCode.NotFound, "another caller has its own share");

        using var health = await client.FetchAsync("/healthz");
        health.StatusCode.Should().Be(HttpStatusCode.OK, "health routes are never limited");
    }

    [Theory]
    [InlineData(2L * 1024 * 1024, RequestBody.MaxInitialBufferBytes)]
    [InlineData(100L, 100)]
    [InlineData(null, 4096)]
    public void Body_ReservesAtMost16KiBBeforeDataArrives(long? contentLength, int expected)
    {
        RequestBody.InitialBufferBytes(contentLength).Should().Be(expected);
        RequestBody.MaxInitialBufferBytes.Should().Be(16 * 1024);
    }

    [Theory]
    [InlineData("Gateway:RequestsPerSecondPerCaller", "-1", "Gateway:RequestsPerSecondPerCaller must be 0 (no limit) or more*")]
    [InlineData("Gateway:BurstPerCaller", "0", "Gateway:BurstPerCaller must be at least 1*")]
    [InlineData("Gateway:MaxConcurrentConnections", "0", "Gateway:MaxConcurrentConnections must be at least 1*")]
    public async Task Start_BadLimit_FailsNamingTheSetting(string key, string value, string message)
    {
        await using var gateway = new GatewayFactory(1, "limits", "limits", new Dictionary<string, string?> { [key] = value });

        var act = () => gateway.CreateClient();

        act.Should().Throw<OptionsValidationException>().WithMessage(message);
    }
}
