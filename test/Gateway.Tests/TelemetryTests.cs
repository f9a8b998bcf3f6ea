using System.Diagnostics;
using System.Net;
using Actors.Gateway.Tests.Infrastructure;
using Actors.TestInfrastructure.Observability;
using static Actors.Gateway.Tests.Infrastructure.HttpExtensions;

namespace Actors.Gateway.Tests;

/// <summary>Alone, so that no other test's writes move the silo's counters (the meter is per process, as Orleans' are).</summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryFixture>;

/// <summary>
/// What the silo and gateway export (docs/observability.md): write counts by op and outcome, one trace per HTTP write
/// from the gateway through the grain to storage, and Prometheus text that a real Prometheus scrapes.
/// </summary>
[Collection(nameof(TelemetryCollection))]
public sealed class TelemetryTests(TelemetryFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private HttpClient Client => fixture.Client;

    /// <summary>Where the pages' DOM and screenshots go, to be looked at.</summary>
    private static string PagesDirectory => Directory.CreateDirectory(Path.Combine(HeadlessChromium.TestResultsDirectory(), "pages")).FullName;

    [Fact]
    public async Task Writes_KnownMixOfOutcomes_ExportedCountsEqualIt()
    {
        var type = "tele" + Guid.NewGuid().ToString("N")[..8];
        (string, string)[] put = [("op", "put")];
        var before = new
        {
            Applied = fixture.SiloMetric("actors.writes", [.. put, ("outcome", "applied")]),
            Duplicate = fixture.SiloMetric("actors.writes", [.. put, ("outcome", "duplicate")]),
            Conflict = fixture.SiloMetric("actors.writes", [.. put, ("outcome", "conflict")]),
            Refused = fixture.SiloMetric("actors.writes", ("op", "delete"), ("outcome", "refused")),
            Hits = fixture.SiloMetric("actors.write_ids.hits", ("result", "duplicate")),
            Timed = fixture.SiloMetric("actors.write.duration", put),
        };

        for (var i = 0; i < 5; i++)
        {
            (await SendAsync(HttpMethod.Put, $"/v1/roots/{type}/r{i}", """{"n":1}""", idempotencyKey: $"k{i}")).Should().Be(HttpStatusCode.Created);
        }
        for (var i = 0; i < 3; i++)
        {
            (await SendAsync(HttpMethod.Put, $"/v1/roots/{type}/r0", """{"n":1}""", idempotencyKey: "k0")).Should().Be(HttpStatusCode.Created, "a retry answers as the original did");
        }
        for (var i = 0; i < 2; i++)
        {
            (await SendAsync(HttpMethod.Put, $"/v1/roots/{type}/r1", """{"n":2}""", ifMatch: "\"99\"")).Should().Be(HttpStatusCode.PreconditionFailed);
        }
        (await SendAsync(HttpMethod.Delete, $"/v1/roots/{type}/absent", null)).Should().Be(HttpStatusCode.NotFound);

        fixture.SiloMetric("actors.writes", [.. put, ("outcome", "applied")]).Should().Be(before.Applied + 5);
        fixture.SiloMetric("actors.writes", [.. put, ("outcome", "duplicate")]).Should().Be(before.Duplicate + 3);
        fixture.SiloMetric("actors.writes", [.. put, ("outcome", "conflict")]).Should().Be(before.Conflict + 2);
        fixture.SiloMetric("actors.writes", ("op", "delete"), ("outcome", "refused")).Should().Be(before.Refused + 1);
        fixture.SiloMetric("actors.write_ids.hits", ("result", "duplicate")).Should().Be(before.Hits + 3);
        fixture.SiloMetric("actors.write.duration", put).Should().Be(before.Timed + 10, "every write is timed once");
    }

    [Fact]
    public async Task HttpWrite_One_OneTraceFromGatewayThroughGrainToStorage()
    {
        var id = "trace-" + Guid.NewGuid().ToString("N")[..8];
        (await SendAsync(HttpMethod.Put, $"/v1/roots/topic/{id}", """{"title":"traced"}""")).Should().Be(HttpStatusCode.Created);

        // Spans are exported when they end; the server span ends after the response went out.
        var all = await EventuallyAsync(() =>
        {
            var spans = Snapshot();
            var server = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && PathOf(s)?.EndsWith(id, StringComparison.Ordinal) == true);
            return server is not null && spans.Any(s => s.DisplayName == "storage write" && s.TraceId == server.TraceId && GrainOf(s)?.Contains(id, StringComparison.Ordinal) == true)
                ? spans
                : null;
        });

        var http = all.Single(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && PathOf(s)?.EndsWith(id, StringComparison.Ordinal) == true);
        var storage = all.Single(s => s.DisplayName == "storage write" && GrainOf(s)?.Contains(id, StringComparison.Ordinal) == true);
        var trace = all.Where(s => s.TraceId == http.TraceId).ToList();
        var grainServer = trace.Should().ContainSingle(s => s.Kind == ActivityKind.Server && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("WriteAsync", StringComparison.Ordinal)).Subject;
        trace.Should().Contain(s => s.Kind == ActivityKind.Client && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("WriteAsync", StringComparison.Ordinal), "the gateway's grain call");

        // One trace per write: the storage write hangs under the grain call, which hangs under the HTTP request.
        Ancestors(storage, trace).Should().Contain(grainServer.SpanId).And.Contain(http.SpanId);
        all.Where(s => GrainOf(s)?.Contains(id, StringComparison.Ordinal) == true || PathOf(s)?.EndsWith(id, StringComparison.Ordinal) == true)
            .Select(s => s.TraceId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Metrics_AfterWrites_PrometheusTextThatPrometheusScrapes()
    {
        (await SendAsync(HttpMethod.Put, $"/v1/roots/topic/prom-{Guid.NewGuid():N}", """{"p":1}""")).Should().Be(HttpStatusCode.Created);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var samples = PrometheusText.Parse(text);
        samples.Keys.Should().Contain(["actors_writes_total", "http_server_request_duration_seconds_count"]);
        samples.Keys.Should().Contain(k => k.StartsWith("orleans_", StringComparison.Ordinal), "Orleans' meter is exported too");

        await using var prometheus = await PrometheusServer.StartAsync(Client.BaseAddress!.Authority, cancellationToken: TestContext.Current.CancellationToken);
        await prometheus.WaitUntilTargetsUpAsync(Wait, TestContext.Current.CancellationToken);
        var result = await prometheus.QueryAsync("sum by (outcome) (actors_writes_total{op=\"put\"})", Wait, TestContext.Current.CancellationToken);
        result.Should().Contain(sample => sample.Labels["outcome"] == "applied" && sample.Value >= 1);
    }

    [Fact]
    public async Task SiloListener_MetricsPortSet_ServesPrometheusText()
    {
        (await SendAsync(HttpMethod.Put, $"/v1/roots/topic/silo-prom-{Guid.NewGuid():N}", """{"p":1}""")).Should().Be(HttpStatusCode.Created);

        using var http = new HttpClient { Timeout = Wait };
        var text = await http.GetStringAsync(fixture.SiloMetricsUrl, TestContext.Current.CancellationToken);

        var samples = PrometheusText.Parse(text);
        samples.Keys.Should().Contain("actors_writes_total", "the silo's listener exports the project's meter");
        samples.Keys.Should().Contain(k => k.StartsWith("orleans_", StringComparison.Ordinal), "and Orleans'");
    }

    [Fact]
    public async Task Metrics_CallerWithoutOperatorRole_Refused()
    {
        await using var gateway = fixture.Cluster.CreateGateway(new Dictionary<string, string?> { ["Gateway:Auth:Anonymous:0"] = "writer:*" });
        using var client = gateway.CreateClient();
        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        metrics.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var dashboard = await client.GetAsync(new Uri("/dashboard", UriKind.Relative), TestContext.Current.CancellationToken);
        dashboard.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await using var open = fixture.Cluster.CreateGateway(new Dictionary<string, string?>
        {
            ["Gateway:Auth:Anonymous:0"] = "writer:*",
            ["Gateway:Metrics:Anonymous"] = "true",
        });
        using var openClient = open.CreateClient();
        using var scraped = await openClient.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        scraped.StatusCode.Should().Be(HttpStatusCode.OK, "Gateway:Metrics:Anonymous opens /metrics alone");
    }

    [Fact]
    public async Task Dashboard_InChromium_ShowsTheSilo()
    {
        // The silos page: the overview counts silos, this one names them.
        var url = new Uri(Client.BaseAddress!, "/dashboard/#/silos");
        var dom = await HeadlessChromium.DumpDomAsync(url, TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(PagesDirectory, "dashboard.html"), dom, TestContext.Current.CancellationToken);
        dom.Contains("gateway-tests-silo", StringComparison.Ordinal).Should().BeTrue("the dashboard's silos page names the cluster's silo (TestResults/pages/dashboard.html)");
        dom.Contains("Active", StringComparison.Ordinal).Should().BeTrue("with its Orleans status");
        await HeadlessChromium.ScreenshotAsync(url, Path.Combine(PagesDirectory, "dashboard.png"), TimeSpan.FromSeconds(8),
            cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Docs_InChromium_ShowTheRoutes()
    {
        var url = new Uri(Client.BaseAddress!, "/docs");
        var dom = await HeadlessChromium.DumpDomAsync(url, TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(PagesDirectory, "docs.html"), dom, TestContext.Current.CancellationToken);
        string[] routes = ["/v1/roots/{type}/{id}", "/v1/roots/{type}/{id}/{pointer}", "/v1/roots/{type}", "/v1/cluster", "/v1/indexes/{type}", "/v1/indexes/{type}/{name}", "Bearer"];
        routes.Where(route => !dom.Contains(route, StringComparison.Ordinal)).Should().BeEmpty("the page lists every route and the bearer scheme (TestResults/pages/docs.html)");

        // The page renders an operation's details as it scrolls into view; the document behind it carries them all.
        var document = await Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        document.Should().Contain("\"securitySchemes\"").And.Contain("\"bearer\"").And.Contain("Idempotency-Key").And.Contain("If-Match");
        document.Should().Contain("\"example\"", "write bodies, write responses and problems carry examples")
            .And.Contain("problem types of this status: version-conflict").And.Contain("https://actors.dev/problems/version-conflict");
        dom.Contains("/dashboard", StringComparison.Ordinal).Should().BeFalse("the dashboard's own API is not part of this one");
        await HeadlessChromium.ScreenshotAsync(url, Path.Combine(PagesDirectory, "docs.png"), TimeSpan.FromSeconds(8),
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string url, string? body, string? ifMatch = null, string? idempotencyKey = null)
    {
        using var request = Request(method, url, body, body is null ? null : Json, ifMatch, idempotencyKey);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private List<Activity> Snapshot()
    {
        List<Activity> spans;
        lock (fixture.GatewaySpans)
        {
            spans = [.. fixture.GatewaySpans];
        }
        lock (fixture.SiloSpans)
        {
            spans.AddRange(fixture.SiloSpans);
        }
        // Both providers listen to every source in the process, so most spans come twice.
        return [.. spans.DistinctBy(s => s.SpanId)];
    }

    private static string? PathOf(Activity span) => span.GetTagItem("url.path") as string;

    private static string? GrainOf(Activity span) => span.GetTagItem("actors.grain") as string;

    private static List<ActivitySpanId> Ancestors(Activity span, List<Activity> trace)
    {
        var ancestors = new List<ActivitySpanId>();
        var parent = span.ParentSpanId;
        while (parent != default && trace.FirstOrDefault(s => s.SpanId == parent) is { } next)
        {
            ancestors.Add(parent);
            parent = next.ParentSpanId;
        }
        return ancestors;
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }
            clock.Elapsed.Should().BeLessThan(Wait, "the spans should be exported by now");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
