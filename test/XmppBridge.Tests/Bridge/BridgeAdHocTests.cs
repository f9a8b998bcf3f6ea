using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// The silos' XEP-0050 ad-hoc commands driven by slixmpp's xep_0050 plugin (a client nobody here wrote) against
/// the fixture's Prosody: the list per role, status in one stage, the drain form with a bad value and cancelled,
/// a drain naming another silo refused, a watcher forbidden, and a real drain of a silo process.
/// </summary>
public abstract class BridgeAdHocTests(BridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private Task<IReadOnlyList<string>> SlixmppAsync(string user, string target, string[] steps, CancellationToken cancellationToken) =>
        SlixmppAdHoc.RunAsync(cluster.Xmpp, user, BridgeClusterFixture.PasswordOf(user), "slixmpp-adhoc", target, steps, cancellationToken);

    [Fact]
    public async Task Slixmpp_ListsAndRunsSiloCommands_BadValuesAndRolesRefused_NothingDrained()
    {
        var ct = TestContext.Current.CancellationToken;
        var siloA = cluster.SiloA.ToString();
        var emptyType = "adhoc" + Guid.NewGuid().ToString("N")[..8];

        var ops = await SlixmppAsync("ops", siloA,
        [
            "items",
            "exec:status",
            "exec:drain",
            "complete:silo=nosuch",
            "cancel",
            "complete:silo=silo-a",
            "once:drain:silo=silo-b",
            "once:where:root=topic/adhoc-1",
            "once:where:root=topic/a b",
            "exec:get",
            "once:find:type=topic,op=eq",
            $"once:find:type={emptyType},limit=2",
        ], ct);

        TestOutput.Record("slixmpp ad-hoc on a silo (operator)", string.Join('\n', ops));
        ops.Should().HaveCount(12, string.Join('\n', ops));
        ops[0].Should().Be("ITEMS status=Cluster status;where=Where is a root?;find=Find roots;indexes=Indexes and their builds;drain=Drain this silo");
        ops[1].Should().MatchRegex(@"^RESULT completed info \d+ of \d+ silos active \| silo +status").And.Contain("silo-a *");
        ops[2].Should().MatchRegex("^FORM drain:[0-9a-f]{32} silo=silo-a$", "the form offers this silo only");
        ops[3].Should().Be("ERROR bad-request bad-payload 'nosuch' is not a choice for 'silo' (Silo): one of silo-a. Nothing was done.");
        ops[4].Should().StartWith("RESULT canceled");
        ops[5].Should().StartWith("ERROR not-allowed session-expired").And.Contain("Run the command again");
        ops[6].Should().Be("ERROR bad-request bad-payload 'silo-b' is not a choice for 'silo' (Silo): one of silo-a. Nothing was done.");
        ops[7].Should().MatchRegex(@"^RESULT completed info topic/adhoc-1 is on silo-[ab]: silo@localhost/silo-[ab]$");
        ops[8].Should().Be("ERROR bad-request bad-payload 'topic/a b' for 'root' (Root (type/id)) has spaces in it: a root id, type/id, e.g. topic/42, one word. Nothing was done.");
        ops[9].Should().StartWith("ERROR item-not-found - No command 'get' here");
        ops[10].Should().Be("ERROR bad-request bad-payload An index condition needs all three of 'index', 'op' and 'value'; leave all three empty to list the type. Nothing was done.");
        ops[11].Should().Be("RESULT completed info No roots match.", "an empty answer is an answer, not an error note");

        var eve = await SlixmppAsync("eve", siloA, ["items", "exec:drain", "once:drain:silo=silo-a", "info:drain", "exec:status", "info:"], ct);

        TestOutput.Record("slixmpp ad-hoc on a silo (watcher)", string.Join('\n', eve));
        eve[0].Should().Be("ITEMS status=Cluster status;where=Where is a root?");
        eve[1].Should().Be($"ERROR forbidden - 'drain' needs the operator role; eve@{cluster.Domain} is a watcher here.");
        eve[2].Should().Be(eve[1]);
        eve[3].Should().StartWith("ERROR forbidden -");
        eve[4].Should().StartWith("RESULT completed info");
        eve[5].Should().StartWith("INFO ").And.Contain("http://jabber.org/protocol/commands").And.Contain("jabber:x:data").And.Contain("urn:actors:1");

        await using var check = await XmppTestUser.ConnectAsync(cluster, "ops", "adhoc-check", cancellationToken: ct);
        (await check.ChatAsync(cluster.SiloA, "status", cancellationToken: ct)).Should().MatchRegex("^(\\d+) of \\1 silos active").And.Contain("silo-a").And.Contain("silo-b");
    }

    [Fact]
    public async Task Slixmpp_DrainThroughTheForm_TheSiloLeavesAndExitsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "adhoc-drain", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await using var silo = cluster.StartSiloProcess("silo-x");
        var jid = cluster.SiloJid("silo-x");
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);

        var steps = await SlixmppAsync("ops", jid.ToString(), ["exec:drain", "complete:silo=silo-x"], ct);

        TestOutput.Record("slixmpp ad-hoc drain", string.Join('\n', steps));
        steps[0].Should().MatchRegex("^FORM drain:[0-9a-f]{32} silo=silo-x$");
        steps[1].Should().StartWith("RESULT completed info Draining silo-x:");
        (await silo.WaitForExitAsync(Long, ct)).Should().BeTrue(silo.RecentOutput);
        silo.ExitCode.Should().Be(0);
        await cluster.WaitUntilSiloGoneAsync("silo-x", ct);
    }
}
