using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Observability;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on 127.0.0.1 with a free port and its own temp directory (config and
/// TSDB), scraping the given targets every second. Tests ask its HTTP API whether a target is up and what a query returns.
/// </summary>
/// <remarks>The creator owns it: dispose stops the server and deletes the directory.</remarks>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory;
    private readonly ManagedProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(TempDirectory directory, ManagedProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The port of its web UI and API on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> (<c>host:port</c>) at <paramref name="metricsPath"/> every second,
    /// with <c>Authorization: Bearer <paramref name="bearerToken"/></c> when given.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string target, string metricsPath = "/metrics", string? bearerToken = null, CancellationToken cancellationToken = default)
    {
        var executable = ExternalTool.Require("prometheus", "prometheus");
        var directory = TempDirectory.Create("prometheus");
        var port = FreePort.Allocate();
        var authorization = bearerToken is null ? string.Empty : $"""
                authorization:
                  type: Bearer
                  credentials: "{bearerToken}"
            """;
        await File.WriteAllTextAsync(directory.Combine("prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: actors
                metrics_path: {metricsPath}
            {authorization}
                static_configs:
                  - targets: ["{target}"]
            """, cancellationToken);
        var process = ManagedProcess.Start(executable,
        [
            $"--config.file={directory.Combine("prometheus.yml")}",
            $"--storage.tsdb.path={directory.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ], directory.Path);
        var server = new PrometheusServer(directory, process, port);
        try
        {
            await process.WaitForPortAsync(port, StartTimeout, cancellationToken);
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The port answers before the TSDB is open; until then the API says 503.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            using (var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative), cancellationToken))
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Prometheus was not ready within {StartTimeout.TotalSeconds} s:\n{_process.RecentOutput}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits until the targets API reports every target <c>up</c>; throws with the last error otherwise.</summary>
    public async Task WaitUntilTargetsUpAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            using var targets = await GetJsonAsync("api/v1/targets", cancellationToken);
            var active = targets.RootElement.GetProperty("data").GetProperty("activeTargets");
            if (active.GetArrayLength() > 0 && active.EnumerateArray().All(t => t.GetProperty("health").GetString() == "up"))
            {
                return;
            }
            last = active.ToString();
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"Prometheus did not report its targets up within {timeout.TotalSeconds} s: {last}\n{_process.RecentOutput}");
    }

    /// <summary>Runs an instant query and returns its samples as (labels, value), waiting until it returns any.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(
        string promql, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var answer = await GetJsonAsync("api/v1/query?query=" + Uri.EscapeDataString(promql), cancellationToken);
            var result = answer.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0 || DateTime.UtcNow >= deadline)
            {
                return [.. result.EnumerateArray().Select(sample => (
                    (IReadOnlyDictionary<string, string>)sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                    double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken) ?? throw new InvalidOperationException($"Prometheus answered {path} with nothing.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
