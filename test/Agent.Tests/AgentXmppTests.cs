using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.Agent.Xmpp;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Logging.Abstractions;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>One Prosody with STARTTLS for the agent's XMPP tests.</summary>
public sealed class ProsodyFixture : IAsyncLifetime
{
    private int _users;

    public ProsodyServer Server { get; private set; } = default!;

    public async ValueTask InitializeAsync() =>
        Server = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    public async Task<(string User, string Password)> NewUserAsync(string prefix, CancellationToken cancellationToken)
    {
        var user = $"{prefix}{Interlocked.Increment(ref _users)}";
        await Server.RegisterAsync(user, user + "-pw", cancellationToken);
        return (user, user + "-pw");
    }
}

/// <summary>The agent as operators see it in a chat client, against a real Prosody: presence, commands, roles.</summary>
public sealed class AgentXmppTests(ProsodyFixture prosody) : IClassFixture<ProsodyFixture>, IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("agent-xmpp");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Agent_PresenceCarriesMachineHealth_GoesDndWhenAProcessIsGivenUp_OperatorRestartRevivesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var ok = _directory.Combine("ok");
        await File.WriteAllTextAsync(ok, "", ct);
        var (agentUser, agentPassword) = await prosody.NewUserAsync("agent", ct);
        var (operatorUser, operatorPassword) = await prosody.NewUserAsync("operator", ct);
        var (watcherUser, watcherPassword) = await prosody.NewUserAsync("watcher", ct);
        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs"), FirstRestartDelay = TimeSpan.FromMilliseconds(100) };
        options.Processes.Add(Shell("silo-1", "exec sleep 600", kind: ProcessKind.Silo));
        options.Processes.Add(Shell("flaky", $"[ -e '{ok}' ] && exec sleep 600; echo 'no ok file'; exit 7"));
        options.Xmpp = AgentXmpp(prosody.Server, $"{agentUser}@{prosody.Server.Domain}", agentPassword);
        options.Xmpp.Operators.Add($"{operatorUser}@{prosody.Server.Domain}");
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

            // Watch it like a contact: subscribe, and its presence arrives with the <agent/> payload.
            await op.Client.SubscribeAsync(agentJid, ct);
            var available = await op.NextAsync<Presence>(p => p.From?.Bare == agentJid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, ct);
            AgentPayload.TryFind(available.Element, out var payload).Should().BeTrue(available.Element.ToString());
            payload!.Machine.Should().Be("testbox");
            payload.Silos.Should().Be(1);
            payload.Gateways.Should().Be(0);
            payload.MemoryMb.Should().BePositive();
            payload.DiskFreeMb.Should().BePositive();
            available.Status.Should().Contain("2 of 2 processes running").And.Contain("1 silo");
            available.From!.Resource.Should().Be("testbox");

            var table = await op.AskAsync(agentJid, "processes", ct);
            table.Should().Contain("2 of 2 processes running on testbox").And.MatchRegex(@"silo-1\s+\d+\s+running\s+0\s+\d+s").And.Contain("flaky");

            // The flaky process loses what it needs and crash-loops: given up after 5 tries, and presence says so.
            File.Delete(ok);
            Signal(supervisor.Find("flaky")!.Pid!.Value, 9);
            var dnd = await op.NextAsync<Presence>(p => p.From?.Bare == agentJid && p.Show == PresenceShow.Dnd, ct);
            dnd.Status.Should().Contain("flaky given up: exited with code 7; 5 crashes within 60 s");
            AgentPayload.TryFind(dnd.Element, out _).Should().BeTrue();

            // A watcher may look but not act.
            (await watcher.AskAsync(agentJid, "restart flaky", ct)).Should().Be($"'restart' needs the operator role; {watcherUser}@{prosody.Server.Domain} is a watcher here.");
            (await watcher.AskAsync(agentJid, "processes", ct)).Should().Contain("given up");
            supervisor.Find("flaky")!.State.Should().Be(ProcessState.GivenUp);

            await File.WriteAllTextAsync(ok, "", ct);
            (await op.AskAsync(agentJid, "restart flaky", ct)).Should().StartWith("flaky restarted: pid ");
            var back = await op.NextAsync<Presence>(p => p.From?.Bare == agentJid && p.Show == PresenceShow.None, ct);
            back.Status.Should().Contain("2 of 2 processes running");
        }
        finally
        {
            await agent.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Agent_UnknownCommandsAndBadArguments_GetAClearReply()
    {
        var ct = TestContext.Current.CancellationToken;
        var (agentUser, agentPassword) = await prosody.NewUserAsync("agent", ct);
        var (operatorUser, operatorPassword) = await prosody.NewUserAsync("operator", ct);
        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs") };
        options.Processes.Add(Shell("silo-1", "exec sleep 600", kind: ProcessKind.Silo));
        options.Xmpp = AgentXmpp(prosody.Server, $"{agentUser}@{prosody.Server.Domain}", agentPassword);
        options.Xmpp.Operators.Add($"{operatorUser}@{prosody.Server.Domain}");
        var (supervisor, _) = Supervisor(options);
        await using var __ = supervisor;
        (await supervisor.StartAllAsync(ct)).Should().BeTrue();
        using var agent = new AgentXmppService(supervisor, NullLoggerFactory.Instance);
        await agent.StartAsync(ct);
        try
        {
            await using var op = await ChatClient.ConnectAsync(prosody.Server, operatorUser, operatorPassword, ct);
            var agentJid = agent.Jid.Bare;
            var help = await op.AskAsync(agentJid, "help", ct, TimeSpan.FromSeconds(45));
            help.Should().Contain("Commands for you (operator)").And.Contain("processes").And.Contain("restart <process>").And.Contain("grow silos|gateways <N>").And.Contain("shrink silos|gateways <N>");
            (await op.AskAsync(agentJid, "frobnicate", ct)).Should().StartWith("Unknown command 'frobnicate'.\nAgent of testbox.");
            (await op.AskAsync(agentJid, "grow silos many", ct)).Should().Be("Usage: grow silos <N> or grow gateways <N>, N from 1 to 16.");
            (await op.AskAsync(agentJid, "grow redis 1", ct)).Should().Be("Usage: grow silos <N> or grow gateways <N>, N from 1 to 16.");
            (await op.AskAsync(agentJid, "grow gateways 1", ct)).Should().Be("This agent has no gateway template (Actors:Agent:GatewayTemplate), so it cannot start gateways.");
            (await op.AskAsync(agentJid, "grow silos 1", ct)).Should().Be("This agent has no silo template (Actors:Agent:SiloTemplate), so it cannot start silos.");
            (await op.AskAsync(agentJid, "shrink silos 1", ct)).Should().StartWith("Refused: 1 silo runs here, and shrink leaves at least one");
            (await op.AskAsync(agentJid, "restart", ct)).Should().Be("Usage: restart <process>. Processes: silo-1.");
            (await op.AskAsync(agentJid, "restart nothing", ct)).Should().Be("No process 'nothing' here. Processes: silo-1.");

            // A command stored offline and delivered late is refused, not replayed.
            var stale = new Message(agentJid, "restart silo-1") { Id = "stale-1" };
            stale.Element.Add(new System.Xml.Linq.XElement(System.Xml.Linq.XName.Get("delay", "urn:xmpp:delay"),
                new System.Xml.Linq.XAttribute("stamp", DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture))));
            await op.Client.SendAsync(stale, ct);
            var refused = await op.NextAsync<Message>(m => m.From?.Bare == agentJid && m.Body is not null, ct);
            refused.Body.Should().MatchRegex("^Refused: this command was delayed 30[0-9] s").And.Contain("nothing was done");
            supervisor.Find("silo-1")!.Restarts.Should().Be(0);
        }
        finally
        {
            await agent.StopAsync(CancellationToken.None);
        }
    }
}
