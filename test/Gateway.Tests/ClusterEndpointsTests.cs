using System.Net;
using Actors.Gateway.Tests.Infrastructure;

namespace Actors.Gateway.Tests;

/// <summary><c>/v1/cluster</c>, <c>/readyz</c>, <c>/healthz</c> and the OpenAPI document with a running silo.</summary>
public sealed class ClusterEndpointsTests(ClusterFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Cluster_OneSilo_ListsItActiveWithStatistics()
    {
        using var response = await Client.FetchAsync("/v1/cluster");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var silos = (await response.ReadJsonAsync()).GetProperty("silos");
        silos.GetArrayLength().Should().Be(1);
        var silo = silos[0];
        silo.GetProperty("name").GetString().Should().NotBeNullOrEmpty();
        silo.GetProperty("address").GetString().Should().StartWith("127.0.0.1:" + fixture.SiloPort);
        silo.GetProperty("status").GetString().Should().Be("Active");
        silo.GetProperty("activations").GetInt32().Should().BeGreaterThanOrEqualTo(0);
        silo.GetProperty("cpuPercent").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Number);
        silo.GetProperty("memoryMb").GetDouble().Should().BeGreaterThan(0);
        silo.GetProperty("xmpp").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "the XMPP bridge does not report presence yet");
    }

    [Fact]
    public async Task Readyz_SiloRunning_Returns200()
    {
        using var response = await Client.FetchAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task Healthz_SiloRunning_Returns200()
    {
        using var response = await Client.FetchAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OpenApi_SiloRunning_ServesDocument()
    {
        using var response = await Client.FetchAsync("/openapi/v1.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetProperty("openapi").GetString().Should().StartWith("3.");
    }
}
