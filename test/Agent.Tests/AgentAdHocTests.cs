using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.Agent.Xmpp;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Xmpp;
using Microsoft.Extensions.Logging.Abstractions;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>
/// The agent's XEP-0050 ad-hoc commands driven by slixmpp's xep_0050 plugin against a real Prosody and a real ejabberd: the command list
/// per role, a one-stage command, a form with a bad value (a clear error, nothing done), a cancelled session, a role
/// check, and a restart through its form.
/// </summary>
public sealed class AgentAdHocTests(ProsodyFixture prosody) : IClassFixture<ProsodyFixture>, IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("agent-adhoc");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public Task Slixmpp_RunsAgentCommands_WithFormsSessionsAndRoleChecks_OnProsody() =>
        RunAsync(prosody.Server, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Slixmpp_RunsAgentCommands_WithFormsSessionsAndRoleChecks_OnEjabberd()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ejabberd = await EjabberdServer.StartNewAsync(new EjabberdServerOptions { Security = XmppSecurity.StartTls }, ct);
        await RunAsync(ejabberd, ct);
    }

    private async Task RunAsync(IXmppTestServer server, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (agentUser, agentPassword) = ("agent" + suffix, "agent-pw");
        var (operatorUser, operatorPassword) = ("operator" + suffix, "operator-pw");
        var (watcherUser, watcherPassword) = ("watcher" + suffix, "watcher-pw");
        foreach (var (user, password) in new[] { (agentUser, agentPassword), (operatorUser, operatorPassword), (watcherUser, watcherPassword) })
        {
            await server.RegisterAsync(user, password, ct);
        }

        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs") };
        options.Processes.Add(Shell("silo-1", "exec sleep 600", kind: ProcessKind.Silo));
        options.Processes.Add(Shell("worker", "exec sleep 600"));
        options.Xmpp = AgentXmpp(server, $"{agentUser}@{server.Domain}", agentPassword);
        options.Xmpp.Operators.Add($"{operatorUser}@{server.Domain}");
        var (supervisor, _) = Supervisor(options);
        await using var __ = supervisor;
        (await supervisor.StartAllAsync(ct)).Should().BeTrue();
        using var agent = new AgentXmppService(supervisor, NullLoggerFactory.Instance);
        await agent.StartAsync(ct);
        try
        {
            await WaitConnectedAsync(agent, ct);
            var target = agent.Jid.ToString();
            var workerPid = supervisor.Find("worker")!.Pid;

            var op = await SlixmppAdHoc.RunAsync(server, operatorUser, operatorPassword, "slixmpp", target,
            [
                "items",
                "info:restart",
                "exec:processes",
                // A form with a bad value: a clear error and nothing done; the session stays for the corrected form.
                "exec:restart",
                "complete:process=nosuch",
                "complete:process=worker",
                // A cancelled session: nothing done, and the session is gone.
                "exec:grow",
                "complete:kind=silos,count=many",
                "cancel",
                // The whole form in one request, as a script would send it.
                "once:grow:kind=redis,count=1",
                "once:shrink:kind=silos,count=1",
                "info:",
            ], ct);
            op.Should().HaveCount(12, string.Join('\n', op));
            op[0].Should().Be("ITEMS processes=Processes on testbox;status=System status;restart=Restart a process;grow=Grow: start more silos or gateways;shrink=Shrink: stop the newest silos or gateways");
            op[1].Should().StartWith("INFO command-node ").And.Contain("http://jabber.org/protocol/commands").And.Contain("jabber:x:data");
            op[2].Should().MatchRegex(@"^RESULT completed info 2 of 2 processes running on testbox \| process .*silo-1 .*worker");
            op[3].Should().MatchRegex("^FORM restart:[0-9a-f]{32} process=silo-1,worker$");
            op[4].Should().Be("ERROR bad-request bad-payload 'nosuch' is not a choice for 'process' (Process): one of silo-1, worker. Nothing was done.");
            op[5].Should().StartWith("RESULT completed info worker restarted: pid ");
            op[6].Should().MatchRegex("^FORM grow:[0-9a-f]{32} kind=silos,gateways count=$");
            op[7].Should().Be("ERROR bad-request bad-payload 'many' for 'count' (How many) is not a whole number from 1 to 16. Nothing was done.");
            op[8].Should().StartWith("RESULT canceled ");
            op[9].Should().Be("ERROR bad-request bad-payload 'redis' is not a choice for 'kind' (What): one of silos, gateways. Nothing was done.");
            op[10].Should().StartWith("RESULT completed error Refused: 1 silo runs here, and shrink leaves at least one");
            op[11].Should().StartWith("INFO bot ").And.Contain("http://jabber.org/protocol/commands").And.Contain("jabber:x:data");
            supervisor.Find("worker")!.Restarts.Should().Be(1);
            supervisor.Find("worker")!.Pid.Should().NotBe(workerPid);
            supervisor.Find("silo-1")!.Restarts.Should().Be(0);
            supervisor.Snapshot().Should().HaveCount(2, "nothing was grown or shrunk");

            var watcher = await SlixmppAdHoc.RunAsync(server, watcherUser, watcherPassword, "slixmpp", target,
                ["items", "exec:restart", "once:restart:process=worker", "info:restart", "exec:processes"], ct);
            watcher.Should().HaveCount(5, string.Join('\n', watcher));
            watcher[0].Should().Be("ITEMS processes=Processes on testbox;status=System status");
            var forbidden = $"ERROR forbidden - 'restart' needs the operator role; {watcherUser}@{server.Domain} is a watcher here.";
            watcher[1].Should().Be(forbidden);
            watcher[2].Should().Be(forbidden);
            watcher[3].Should().StartWith("ERROR forbidden -");
            watcher[4].Should().StartWith("RESULT completed info 2 of 2 processes running");
            supervisor.Find("worker")!.Restarts.Should().Be(1);
        }
        finally
        {
            await agent.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitConnectedAsync(AgentXmppService agent, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (agent.Client?.State != Actors.XmppBridge.Client.XmppConnectionState.Connected)
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
