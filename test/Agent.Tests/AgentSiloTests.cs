using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Orleans;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.Agent.Xmpp;
using Microsoft.Extensions.Logging.Abstractions;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>
/// Real silos under the agent (Redis, Prosody, silo processes): status from the agent and a silo lists every node; a
/// SIGKILLed silo is restarted while writes run and no acknowledged write is lost; while writes run, grow 2 (from
/// slixmpp's XEP-0050 plugin) starts two silos that become Active and shrink 2 (from chat) drains both, exit 0, with no
/// failed request; grow and shrink gateways.
/// </summary>
public sealed class AgentSiloTests : IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("agent-silos");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SiloUnderTheAgent_SigKillWhileWriting_RestartedAndNothingLost_ThenGrowAndShrink()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        await using var prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls }, ct);
        await prosody.RegisterAsync("silo-1", "silo-1-pw", ct);
        await prosody.RegisterAsync("silo-2", "silo-2-pw", ct);
        await prosody.RegisterAsync("watcher", "watcher-pw", ct);
        await prosody.RegisterAsync("agent", "agent-pw", ct);
        await prosody.RegisterAsync("operator", "operator-pw", ct);

        ProcessOptions SiloSpec(string name, string siloPort, string gatewayPort, string password)
        {
            var spec = SiloProcessSpec(name, redis, prosody, $"{name}@{prosody.Domain}", password, siloPort, gatewayPort);
            // The agent is a node the silos list in status (DESIGN §9).
            spec.Environment["Actors__Xmpp__Nodes__0"] = $"agent@{prosody.Domain}";
            return spec;
        }

        string Port() => FreePort.Allocate().ToString(CultureInfo.InvariantCulture);
        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs") };
        options.Processes.Add(SiloSpec("silo-1", Port(), Port(), "silo-1-pw"));
        options.Processes.Add(SiloSpec("silo-2", Port(), Port(), "silo-2-pw"));
        options.SiloTemplate.Ports.AddRange(["silo", "gateway"]);
        options.SiloTemplate.Prepare = $"prosodyctl --config '{prosody.ConfigPath}' register {{name}} {prosody.Domain} {{password}}";
        options.SiloTemplate.Process = SiloSpec("{name}", "{port:silo}", "{port:gateway}", "{password}");
        var gateway = GatewayProcess.LocateGatewayAssembly();
        options.GatewayTemplate.Ports.Add("http");
        options.GatewayTemplate.Process = new ProcessOptions
        {
            Group = "gateways",
            Command = "dotnet",
            WorkingDirectory = Path.GetDirectoryName(gateway),
            ReadyPort = "{port:http}",
            ReadyUrl = "http://127.0.0.1:{port:http}/readyz",
            ReadyTimeout = TimeSpan.FromSeconds(90),
        };
        options.GatewayTemplate.Process.Arguments.AddRange([gateway, "--urls", "http://127.0.0.1:{port:http}"]);
        options.GatewayTemplate.Process.Environment["Actors__Redis"] = redis.ConnectionString;
        // On loopback, anonymous callers are operators, as under ./actors up (docs/security.md).
        options.GatewayTemplate.Process.Environment["Gateway__Auth__Anonymous__0"] = "operator:*";
        options.Xmpp = AgentXmpp(prosody, $"agent@{prosody.Domain}", "agent-pw");
        options.Xmpp.Operators.Add($"operator@{prosody.Domain}");
        options.Xmpp.Nodes.AddRange([$"silo-1@{prosody.Domain}", $"silo-2@{prosody.Domain}"]);
        var (supervisor, console) = Supervisor(options);
        await using var _ = supervisor;
        (await supervisor.StartAllAsync(ct)).Should().BeTrue(console.ToString());
        // The agent as a Jabber client, so an operator grows and shrinks silos from an XMPP client.
        using var agent = new AgentXmppService(supervisor, NullLoggerFactory.Instance);
        await agent.StartAsync(ct);

        await using var client = await ActorsTestClient.StartAsync(new ActorsClusterOptions { Redis = redis.ConnectionString }, ct);
        // A person watching silo-1 in a chat client: its presence is its health.
        await using var watcher = await ChatClient.ConnectAsync(prosody, "watcher", "watcher-pw", ct);
        var silo1 = XmppBridge.Client.Stanzas.Jid.Parse($"silo-1@{prosody.Domain}");
        await watcher.Client.SubscribeAsync(silo1, ct);
        await watcher.NextAsync<XmppBridge.Client.Stanzas.Presence>(p => p.From?.Bare == silo1 && p.Type == XmppBridge.Client.Stanzas.PresenceType.Available && p.Status?.StartsWith("Active", StringComparison.Ordinal) == true, ct);

        // status, from the agent and from a silo: every node with its presence (DESIGN §9).
        await using var operatorChat = await ChatClient.ConnectAsync(prosody, "operator", "operator-pw", ct);
        var agentStatus = await EventuallyAsync(() => operatorChat.AskAsync(agent.Jid, "status", ct),
            text => text.Contains("2 silos, 0 gateways, 1 agent", StringComparison.Ordinal), "the agent's status lists both silos and itself", TimeSpan.FromSeconds(30));
        output?.WriteLine(agentStatus);
        agentStatus.Should().MatchRegex($@"\n  silo-1  available  silo-1@{prosody.Domain}/silo-1  Active").And.MatchRegex($@"\n  testbox  available  agent@{prosody.Domain}/testbox");
        var siloStatus = await EventuallyAsync(() => operatorChat.AskAsync(XmppBridge.Client.Stanzas.Jid.Parse($"silo-2@{prosody.Domain}/silo-2"), "status", ct),
            text => text.Contains("agents (1):", StringComparison.Ordinal), "silo-2's status lists the agent", TimeSpan.FromSeconds(30));
        output?.WriteLine(siloStatus);
        siloStatus.Should().Contain("2 of 2 silos active").And.Contain("gateways: none seen").And.MatchRegex($@"  testbox  available  agent@{prosody.Domain}/testbox");

        var load = WriteLoop.Start(client, "agent", ct);

        await Task.Delay(3000, ct);
        var victim = supervisor.Find("silo-1")!;
        var killed = Stopwatch.StartNew();
        Signal(victim.Pid!.Value, 9);
        var restarted = await EventuallyAsync(() => supervisor.Find("silo-1"), p => p.Starts.Count == 2, "silo-1 started again", TimeSpan.FromSeconds(10));
        var startedAfter = killed.Elapsed;
        var active = await EventuallyAsync(() => supervisor.Find("silo-1"), p => p.State == ProcessState.Running && p.Restarts == 1, "silo-1 Active again", TimeSpan.FromSeconds(90));
        var activeAfter = killed.Elapsed;
        await watcher.NextAsync<XmppBridge.Client.Stanzas.Presence>(p => p.From?.Bare == silo1 && p.Type == XmppBridge.Client.Stanzas.PresenceType.Unavailable, ct);
        var unavailableAfter = killed.Elapsed;
        await watcher.NextAsync<XmppBridge.Client.Stanzas.Presence>(p => p.From?.Bare == silo1 && p.Type == XmppBridge.Client.Stanzas.PresenceType.Available && p.Status?.StartsWith("Active", StringComparison.Ordinal) == true, ct, TimeSpan.FromSeconds(60));
        var availableAfter = killed.Elapsed;
        await Task.Delay(3000, ct);
        await load.StopAsync();

        output?.WriteLine($"silo-1 SIGKILLed: started again after {startedAfter.TotalSeconds:0.0} s, Active (agent) after {activeAfter.TotalSeconds:0.0} s; the watcher saw unavailable by {unavailableAfter.TotalSeconds:0.0} s and available 'Active' by {availableAfter.TotalSeconds:0.0} s; {load.Writes} writes acknowledged on {load.Acknowledged.Count} roots, {load.FailedAttempts} failed attempts (retried with the same write id)");
        restarted.Pid.Should().NotBe(victim.Pid);
        startedAfter.Should().BeLessThan(TimeSpan.FromSeconds(3), "the first restart comes after 1 s");
        supervisor.Find("silo-2")!.Restarts.Should().Be(0, "a sibling is never touched");
        await load.VerifyAsync();

        // Grow by two while writes run: two silos with fresh accounts and ports, each Active before the next; then shrink
        // by two: both drained, exit 0, not restarted — with zero failed requests throughout (issue 13). Grow from
        // slixmpp's XEP-0050 plugin, as an operator in a client nobody here wrote (its form: session, then complete);
        // shrink from plain chat.
        while (agent.Client?.State != XmppBridge.Client.XmppConnectionState.Connected)
        {
            await Task.Delay(100, ct);
        }

        var resizeLoad = WriteLoop.Start(client, "resize", ct);
        await Task.Delay(2000, ct);
        var grow = await SlixmppAdHoc.RunAsync(prosody, "operator", "operator-pw", "slixmpp", agent.Jid.ToString(), ["exec:grow", "complete:kind=silos,count=2"], ct);
        output?.WriteLine(string.Join('\n', grow));
        grow.Should().HaveCount(2, string.Join('\n', grow));
        grow[0].Should().StartWith("FORM grow:");
        grow[1].Should().StartWith("RESULT completed info ").And.Contain("silo-3 ready in").And.Contain("silo-4 ready in").And.Contain("4 silos run on this machine now.");
        var hosts = await client.Management.GetHosts(onlyActive: true, cancellationToken: ct);
        hosts.Should().HaveCount(4);
        await Task.Delay(2000, ct);

        var shrink = await operatorChat.AskAsync(agent.Jid, "shrink silos 2", ct, TimeSpan.FromSeconds(180));
        output?.WriteLine(shrink);
        shrink.Should().Contain("silo-4 drained and stopped (exit 0").And.Contain("silo-3 drained and stopped (exit 0").And.Contain("2 silos run on this machine now.");
        foreach (var name in (string[])["silo-3", "silo-4"])
        {
            supervisor.Find(name)!.State.Should().Be(ProcessState.Stopped);
        }

        var deadline = Stopwatch.StartNew();
        while ((await client.Management.GetHosts(onlyActive: true, cancellationToken: ct)).Count != 2)
        {
            deadline.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "silo-3 and silo-4 leave the membership");
            await Task.Delay(200, ct);
        }

        await Task.Delay(2000, ct);
        await resizeLoad.StopAsync();
        output?.WriteLine($"grow silos 2, then shrink silos 2, under load: {resizeLoad.Writes} writes acknowledged on {resizeLoad.Acknowledged.Count} roots, {resizeLoad.FailedAttempts} failed attempts{(resizeLoad.Failures.IsEmpty ? "" : ": " + string.Join("; ", resizeLoad.Failures.Take(5)))}");
        resizeLoad.FailedAttempts.Should().Be(0, "growing and shrinking (drained first) must not fail a request");
        await resizeLoad.VerifyAsync();
        foreach (var name in (string[])["silo-3", "silo-4"])
        {
            supervisor.Find(name)!.Starts.Should().HaveCount(1, "a drained silo is not restarted");
        }

        // Gateways: two more, each serving HTTP once /readyz says so; shrinking one stops it (exit 0), the other serves on.
        var gateways = await supervisor.GrowAsync(ProcessKind.Gateway, 2, "operator@localhost", ct);
        output?.WriteLine(gateways);
        gateways.Should().Contain("gateway-1 ready in").And.Contain("gateway-2 ready in").And.Contain("2 gateways run on this machine now.");
        var ports = System.Text.RegularExpressions.Regex.Matches(gateways, "http port ([0-9]+)").Select(m => m.Groups[1].Value).ToList();
        ports.Should().HaveCount(2);
        using var http = new HttpClient();
        foreach (var port in ports)
        {
            using var put = await http.PutAsync($"http://127.0.0.1:{port}/v1/roots/topic/via-{port}", new StringContent("{\"ok\":true}", System.Text.Encoding.UTF8, "application/json"), ct);
            ((int)put.StatusCode).Should().BeOneOf(200, 201);
        }

        var oneLess = await supervisor.ShrinkAsync(ProcessKind.Gateway, 1, "operator@localhost", ct);
        output?.WriteLine(oneLess);
        oneLess.Should().Contain("gateway-2 stopped (exit 0").And.Contain("1 gateway runs on this machine now.");
        (await supervisor.ShrinkAsync(ProcessKind.Gateway, 1, "operator@localhost", ct)).Should().StartWith("Refused: 1 gateway runs here");
        using var get = await http.GetAsync($"http://127.0.0.1:{ports[0]}/v1/roots/topic/via-{ports[1]}", ct);
        ((int)get.StatusCode).Should().Be(200);
        await agent.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Writes through an Orleans client in a loop (200 roots), each write retried with its own write id until it is
    /// acknowledged, counting failed attempts; <see cref="VerifyAsync"/> reads every acknowledged version back.
    /// </summary>
    private sealed class WriteLoop
    {
        private readonly CancellationTokenSource _stop;
        private Task _run = Task.CompletedTask;
        private int _writes;
        private int _failed;

        private WriteLoop(CancellationToken ct) => _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        public ConcurrentDictionary<string, long> Acknowledged { get; } = new();

        public ConcurrentQueue<string> Failures { get; } = new();

        public int Writes => _writes;

        public int FailedAttempts => _failed;

        private ActorsTestClient Client { get; init; } = null!;

        public static WriteLoop Start(ActorsTestClient client, string prefix, CancellationToken ct)
        {
            var loop = new WriteLoop(ct) { Client = client };
            loop._run = Task.Run(() => loop.RunAsync(client, prefix), CancellationToken.None);
            return loop;
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _run;
            _stop.Dispose();
        }

        public async Task VerifyAsync()
        {
            Acknowledged.Should().NotBeEmpty();
            foreach (var (root, version) in Acknowledged)
            {
                var read = await Client.Root(RootId.Parse(root)).ReadAsync();
                read.Version.Should().BeGreaterThanOrEqualTo(version, $"{root} was acknowledged at version {version}");
            }
        }

        private async Task RunAsync(ActorsTestClient client, string prefix)
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var root = RootId.Parse($"topic/{prefix}-{i % 200}");
                var command = WriteCommand.Put($"{prefix}-w-{i}", $"{{\"i\":{i}}}");
                // The same write id until it is acknowledged: a retry is never applied twice.
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var result = await client.Root(root).WriteAsync(command).WaitAsync(TimeSpan.FromSeconds(10), _stop.Token);
                        result.Error.Should().BeNull();
                        Acknowledged[root.ToString()] = result.Version;
                        Interlocked.Increment(ref _writes);
                        break;
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        Interlocked.Increment(ref _failed);
                        Failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
                        await Task.Delay(100, CancellationToken.None);
                    }
                }
            }
        }
    }
}
