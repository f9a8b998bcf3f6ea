using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.Agent.Xmpp;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>
/// Alone, so that no other test's supervisor or chat commands move the counters: the meter, like Orleans', is one per
/// process, and the processes gauge reads every supervisor alive in it.
/// </summary>
[CollectionDefinition(nameof(AgentTelemetryCollection), DisableParallelization = true)]
public sealed class AgentTelemetryCollection;

/// <summary>
/// What the agent exports (docs/observability.md, The agent): restarts and give-ups after known crashes, processes by
/// state, commands by name and outcome, read from OpenTelemetry's in-memory exporter; and the real agent's
/// <c>/metrics</c> listener, parsed as Prometheus text and scraped by a real Prometheus.
/// </summary>
[Collection(nameof(AgentTelemetryCollection))]
public sealed class AgentTelemetryTests(ProsodyFixture prosody) : IClassFixture<ProsodyFixture>, IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("agent-telemetry");
    private readonly List<MetricSnapshot> _metrics = [];

    public void Dispose() => _directory.Dispose();

    /// <summary>A meter provider of the test's own, on the project's meter, exporting to <see cref="_metrics"/>.</summary>
    private MeterProvider Meters() =>
        Sdk.CreateMeterProviderBuilder().AddMeter(ActorsTelemetry.MeterName).AddInMemoryExporter(_metrics).Build();

    private double Metric(MeterProvider meters, string name, params (string Key, string Value)[] tags)
    {
        meters.ForceFlush(5_000).Should().BeTrue();
        return InMemoryMetrics.Sum(_metrics, name, tags);
    }

    /// <summary>A process that looks ready (no checks) and exits with code 3 half a second later, until <paramref name="ok"/> exists.</summary>
    private static string Crasher(string ok) => $"[ -e '{ok}' ] && exec sleep 600; sleep 0.5; echo 'no ok file'; exit 3";

    [Fact]
    public async Task Supervisor_CrashLoopGivenUpThenRestarted_ExportsRestartsGiveUpsAndStates()
    {
        using var meters = Meters();
        var ok = _directory.Combine("ok");
        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs"), FirstRestartDelay = TimeSpan.FromMilliseconds(100) };
        options.Processes.Add(Shell("steady", "exec sleep 600", kind: ProcessKind.Silo));
        options.Processes.Add(Shell("crasher", Crasher(ok)));
        var (supervisor, console) = Supervisor(options);
        await using (supervisor)
        {
            (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue(console.ToString());
            await EventuallyAsync(() => supervisor.Find("crasher"), p => p.State == ProcessState.GivenUp, "given up");

            // Five crashes: four restarts after a back-off, then given up; the steady silo untouched.
            Metric(meters, "actors.agent.process.restarts", ("process", "crasher"), ("kind", "other")).Should().Be(4);
            Metric(meters, "actors.agent.process.give_ups", ("process", "crasher")).Should().Be(1);
            Metric(meters, "actors.agent.process.restarts", ("process", "steady")).Should().Be(0);
            Metric(meters, "actors.agent.processes", ("state", "given_up"), ("kind", "other")).Should().Be(1);
            Metric(meters, "actors.agent.processes", ("state", "running"), ("kind", "silo")).Should().Be(1);
            Metric(meters, "actors.agent.processes", ("state", "running")).Should().Be(1);

            // An operator's restart is a restart too; the given-up state empties to 0, not to its last value.
            await File.WriteAllTextAsync(ok, "", TestContext.Current.CancellationToken);
            (await supervisor.RestartAsync("crasher", "operator@localhost", TestContext.Current.CancellationToken)).Should().Contain("crasher restarted");
            Metric(meters, "actors.agent.process.restarts", ("process", "crasher")).Should().Be(5);
            Metric(meters, "actors.agent.process.give_ups", ("process", "crasher")).Should().Be(1);
            Metric(meters, "actors.agent.processes", ("state", "given_up")).Should().Be(0);
            Metric(meters, "actors.agent.processes", ("state", "running")).Should().Be(2);
        }

        // A disposed supervisor's processes leave the gauge.
        Metric(meters, "actors.agent.processes").Should().Be(0);
    }

    [Fact]
    public async Task Commands_KnownMix_CountedByCommandAndOutcome()
    {
        var ct = TestContext.Current.CancellationToken;
        using var meters = Meters();
        var (agentUser, agentPassword) = await prosody.NewUserAsync("agent", ct);
        var (operatorUser, operatorPassword) = await prosody.NewUserAsync("operator", ct);
        var (watcherUser, watcherPassword) = await prosody.NewUserAsync("watcher", ct);
        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs") };
        options.Processes.Add(Shell("silo-1", "exec sleep 600", kind: ProcessKind.Silo));
        options.Xmpp = AgentXmpp(prosody.Server, $"{agentUser}@{prosody.Server.Domain}", agentPassword);
        options.Xmpp.Operators.Add($"{operatorUser}@{prosody.Server.Domain}");
        options.Xmpp.Watchers.Add($"{watcherUser}@{prosody.Server.Domain}");
        var (supervisor, _) = Supervisor(options);
        await using var __ = supervisor;
        (await supervisor.StartAllAsync(ct)).Should().BeTrue();
        using var agent = new AgentXmppService(supervisor, NullLoggerFactory.Instance);
        await agent.StartAsync(ct);
        try
        {
            await using var op = await ChatClient.ConnectAsync(prosody.Server, operatorUser, operatorPassword, ct);
            await using var watcher = await ChatClient.ConnectAsync(prosody.Server, watcherUser, watcherPassword, ct);
            var agentJid = agent.Jid.Bare;
            (await op.AskAsync(agentJid, "processes", ct, TimeSpan.FromSeconds(45))).Should().Contain("1 of 1 processes running");
            (await op.AskAsync(agentJid, "processes", ct)).Should().Contain("1 of 1 processes running");
            (await op.AskAsync(agentJid, "grow silos many", ct)).Should().StartWith("Usage: grow silos <N>");
            (await op.AskAsync(agentJid, "frobnicate", ct)).Should().StartWith("Unknown command 'frobnicate'.");
            (await watcher.AskAsync(agentJid, "restart silo-1", ct)).Should().Contain("needs the operator role");
            (await watcher.AskAsync(agentJid, "shrink silos 1", ct)).Should().Contain("needs the operator role");

            Metric(meters, "actors.agent.commands", ("command", "processes"), ("outcome", "answered")).Should().Be(2);
            Metric(meters, "actors.agent.commands", ("command", "grow"), ("outcome", "answered")).Should().Be(1, "a usage hint is an answer");
            Metric(meters, "actors.agent.commands", ("command", "unknown"), ("outcome", "unknown")).Should().Be(1);
            Metric(meters, "actors.agent.commands", ("command", "restart"), ("outcome", "denied")).Should().Be(1);
            Metric(meters, "actors.agent.commands", ("command", "shrink"), ("outcome", "denied")).Should().Be(1);
            Metric(meters, "actors.agent.commands").Should().Be(6);
            Metric(meters, "actors.xmpp.stanzas.in", ("kind", "message")).Should().BeGreaterThanOrEqualTo(12, "the agent's client and the chat clients count the six commands and six replies on the shared meter");
        }
        finally
        {
            await agent.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AgentProcess_MetricsPortSet_PrometheusTextThatPrometheusScrapes()
    {
        var ct = TestContext.Current.CancellationToken;
        var metricsPort = FreePort.Allocate();
        var config = new
        {
            Actors = new
            {
                Metrics = new { Port = metricsPort },
                Agent = new
                {
                    Machine = "testbox",
                    LogDirectory = _directory.Combine("logs"),
                    FirstRestartDelay = "00:00:00.100",
                    Processes = new object[]
                    {
                        new { Name = "steady", Kind = "Silo", Shell = "exec sleep 600" },
                        new { Name = "crasher", Shell = Crasher(_directory.Combine("never")) },
                    },
                },
            },
        };
        var configPath = _directory.Combine("agent.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config), ct);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Actors.Agent.dll"), "--config", configPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var agent = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        agent.OutputDataReceived += (_, e) => { if (e.Data is { } line) { output.Enqueue(line); } };
        agent.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { output.Enqueue(line); } };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            await EventuallyAsync(() => string.Join('\n', output), text => text.Contains("crasher (pid", StringComparison.Ordinal) && text.Contains("so it is not restarted again", StringComparison.Ordinal),
                "the agent gives the crasher up");

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var text = await http.GetStringAsync(new Uri($"http://localhost:{metricsPort}/metrics"), ct);
            var samples = PrometheusText.Samples(text);
            double Sample(string name, params (string Key, string Value)[] labels) =>
                samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);
            Sample("actors_agent_process_restarts_total", ("process", "crasher")).Should().Be(4, text);
            Sample("actors_agent_process_give_ups_total", ("process", "crasher"), ("kind", "other")).Should().Be(1);
            Sample("actors_agent_processes", ("state", "given_up")).Should().Be(1);
            Sample("actors_agent_processes", ("state", "running"), ("kind", "silo")).Should().Be(1);
            samples.Should().Contain(s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal) || s.Name.StartsWith("process_runtime_dotnet_", StringComparison.Ordinal), "the runtime's metrics come along");

            await using var prometheus = await PrometheusServer.StartAsync($"localhost:{metricsPort}", cancellationToken: ct);
            await prometheus.WaitUntilTargetsUpAsync(TimeSpan.FromSeconds(20), ct);
            var result = await prometheus.QueryAsync("actors_agent_process_restarts_total{process=\"crasher\"}", TimeSpan.FromSeconds(20), ct);
            result.Should().ContainSingle().Which.Value.Should().Be(4);
        }
        finally
        {
            if (!agent.HasExited)
            {
                Signal(agent.Id, 15);
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await agent.WaitForExitAsync(bounded.Token);
            }

            TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', output));
        }
    }
}
