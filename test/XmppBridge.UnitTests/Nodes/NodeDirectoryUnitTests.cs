using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Nodes;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.UnitTests.Scripted;

namespace Actors.XmppBridge.UnitTests.Nodes;

/// <summary>
/// The directory behind <c>status</c>'s node lists and <c>/v1/cluster</c>'s gateways and agents (DESIGN §9): kinds from
/// the payload, presence only from trusted accounts, gone on unavailable, bounded.
/// </summary>
public sealed class NodeDirectoryUnitTests
{
    private static readonly Jid Gateway = Jid.Parse("gateway@localhost/gw-1");
    private static readonly Jid Agent = Jid.Parse("agent@localhost/box");
    private static readonly Jid Silo = Jid.Parse("silo-2@localhost/silo-2");

    [Fact]
    public void Observe_EachPayload_ListsTheNodeByKindWithItsPresence()
    {
        var directory = Directory("gateway@localhost", "agent@localhost", "silo-*@localhost");

        directory.Observe(WithPayload(Gateway, new GatewayPayload("gw-1", "http://gw-1:8080/", 12).ToElement(), PresenceShow.Dnd, "not ready"));
        directory.Observe(WithPayload(Agent, new AgentPayload("box", 5, 100, 1000, 2, 1).ToElement()));
        directory.Observe(WithPayload(Silo, new SiloPayload("silo-2", null, "Active", 3, 1, 50, 2, "1.0").ToElement()));

        directory.Snapshot().Should().Equal(
            [
                new NodePresence(NodeKind.Silo, "silo-2", Silo, PresenceShow.None, null, null, Now),
                new NodePresence(NodeKind.Gateway, "gw-1", Gateway, PresenceShow.Dnd, "not ready", "http://gw-1:8080/", Now),
                new NodePresence(NodeKind.Agent, "box", Agent, PresenceShow.None, null, null, Now),
            ]);
        directory.Snapshot()[1].ShowName.Should().Be("dnd");
    }

    [Fact]
    public void Observe_PresenceFromAnUntrustedAccount_IsIgnored()
    {
        var directory = Directory("gateway@localhost");
        var changes = 0;
        directory.Changed += (_, _) => changes++;

        directory.Observe(WithPayload(Jid.Parse("eve@localhost/gw-1"), new GatewayPayload("gw-1", "http://evil/", 0).ToElement())).Should().BeFalse();

        directory.Count.Should().Be(0);
        changes.Should().Be(0);
    }

    [Fact]
    public void Observe_Unavailable_ForgetsTheNode_AndSamePresenceAgainIsNoChange()
    {
        var directory = Directory("gateway@localhost");
        var changes = 0;
        directory.Changed += (_, _) => changes++;
        var presence = WithPayload(Gateway, new GatewayPayload("gw-1", "", 0).ToElement());

        directory.Observe(presence).Should().BeTrue();
        directory.Observe(presence).Should().BeFalse("nothing changed");
        directory.Observe(new Presence(PresenceType.Unavailable) { From = Gateway }).Should().BeTrue();

        directory.Count.Should().Be(0);
        changes.Should().Be(2);
    }

    [Fact]
    public void Observe_PresenceWithoutPayloadOrWithAnOversizedName_IsIgnored()
    {
        var directory = Directory("gateway@localhost");

        directory.Observe(new Presence { From = Gateway });
        directory.Observe(WithPayload(Gateway, new GatewayPayload(new string('n', NodeDirectory.MaxTextLength + 1), "", 0).ToElement()));

        directory.Count.Should().Be(0);
    }

    [Fact]
    public void Observe_ManyNodes_StopsAtTheCap_AndUnavailableMakesRoom()
    {
        var directory = Directory("gateway@localhost");
        for (var i = 0; i < NodeDirectory.MaxEntries + 10; i++)
        {
            directory.Observe(WithPayload(Jid.Parse($"gateway@localhost/gw-{i}"), new GatewayPayload($"gw-{i}", "", 0).ToElement()));
        }

        directory.Count.Should().Be(NodeDirectory.MaxEntries);
        directory.Observe(new Presence(PresenceType.Unavailable) { From = Jid.Parse("gateway@localhost/gw-0") });
        directory.Observe(WithPayload(Jid.Parse("gateway@localhost/late"), new GatewayPayload("late", "", 0).ToElement())).Should().BeTrue();
        directory.Snapshot().Should().Contain(n => n.Name == "late");
    }

    [Fact]
    public void Clear_ForgetsEveryNode()
    {
        var directory = Directory("gateway@localhost");
        directory.Observe(WithPayload(Gateway, new GatewayPayload("gw-1", "", 0).ToElement()));

        directory.Clear();

        directory.Count.Should().Be(0);
    }

    [Fact]
    public async Task Follow_SessionLost_ForgetsEveryNode()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory("gateway@localhost");
        await using var server = new ScriptedXmppServer();
        // No reconnect within the test: the directory must empty on the loss itself, not on a later session.
        await using var client = new XmppClient(server.ClientOptions(o => (o.ReconnectMinDelay, o.ReconnectMaxDelay) = (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1))));
        directory.Follow(client);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var forgotten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        directory.Changed += (_, _) => (directory.Count == 0 ? forgotten : seen).TrySetResult();

        var connecting = client.ConnectAsync(ct);
        var peer = await server.AcceptAsync(ct);
        await ScriptedLogin.LoginAsync(peer, streamManagement: false, ct);
        await connecting.WaitAsync(ScriptedXmppServer.Timeout, ct);
        var payload = new GatewayPayload("gw-1", "http://gw-1:8080/", 0).ToElement();
        await peer.SendAsync($"<presence from='{Gateway}' to='alice@example.org/desk'>{payload}</presence>", ct);
        await seen.Task.WaitAsync(ScriptedXmppServer.Timeout, ct);
        directory.Count.Should().Be(1);

        // The server vanishes: what it told this session about other nodes can no longer be trusted to be current.
        peer.Drop();

        await forgotten.Task.WaitAsync(ScriptedXmppServer.Timeout, ct);
        directory.Count.Should().Be(0);
        client.State.Should().Be(XmppConnectionState.Reconnecting);
    }

    [Fact]
    public void Describe_ListsEachKind_AndSaysWhenNoneIsSeen()
    {
        var nodes = new[]
        {
            new NodePresence(NodeKind.Gateway, "gw-1", Gateway, PresenceShow.None, "ready · 3 requests/s", "http://gw-1:8080/", Now),
        };

        var text = NodeListing.Describe(nodes, [NodeKind.Gateway, NodeKind.Agent], " (set Nodes)");

        text.Should().Be("gateways (1):\n  gw-1  available  http://gw-1:8080/  gateway@localhost/gw-1  ready · 3 requests/s\nagents: none seen (set Nodes)");
        NodeListing.Count(NodeKind.Agent, 1).Should().Be("1 agent");
        NodeListing.Count(NodeKind.Silo, 2).Should().Be("2 silos");
    }

    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    private static NodeDirectory Directory(params string[] trusted) =>
        TrustedAccounts.TryCreate(trusted, own: null, "gateway", out var jids, out var error)
            ? new NodeDirectory(jids.Contains, new FixedTime(Now))
            : throw new ArgumentException(error);

    private static Presence WithPayload(Jid from, System.Xml.Linq.XElement payload, PresenceShow show = PresenceShow.None, string? status = null)
    {
        var presence = new Presence { From = from, Show = show, Status = status };
        presence.Element.Add(payload);
        return presence;
    }

    private sealed class FixedTime(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
