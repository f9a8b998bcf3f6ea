using System.Net;
using Microsoft.Extensions.DependencyInjection;
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

        // This silo runs without the XMPP bridge: no presence until a bridge reports one to the registry.
        silo.GetProperty("xmpp").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        var local = fixture.SiloServices.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();
        var grains = fixture.SiloServices.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<Actors.Contracts.ISiloPresenceRegistryGrain>(Actors.Contracts.ISiloPresenceRegistryGrain.Key).ReportAsync(
            new Actors.Contracts.SiloXmppPresence(local.SiloAddress.ToString(), "silo@localhost/" + local.Name, "dnd", "Active · storage unreachable", DateTime.UtcNow));

        using var after = await Client.FetchAsync("/v1/cluster");
        var xmpp = (await after.ReadJsonAsync()).GetProperty("silos")[0].GetProperty("xmpp");
        xmpp.GetProperty("jid").GetString().Should().Be("silo@localhost/" + local.Name);
        xmpp.GetProperty("show").GetString().Should().Be("dnd");
        xmpp.GetProperty("status").GetString().Should().Be("Active · storage unreachable");
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
