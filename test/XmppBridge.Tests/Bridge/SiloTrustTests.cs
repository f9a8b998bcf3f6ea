using System.Xml.Linq;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// A silo takes <c>&lt;silo/&gt;</c> presence only from the silos' accounts (issue 15, item 8; docs/security.md):
/// directed presence reaches a silo from any account of the domain, and "eve" (a watcher) uses it to pose as silo-a.
/// Real Prosody and a real silo process (silo-t) of the shared cluster; its log shows what the crash hint did.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class SiloTrustTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
    private const string CrashHintLine = "Crash hint: peer silo silo-a";

    [Fact]
    public async Task SpoofedSiloPresence_FromANonSiloAccount_ChangesNoDirectoryEntryAndStartsNoCrashHint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "trust", cancellationToken: ct);
        await using var eve = await XmppTestUser.ConnectAsync(cluster, "eve", "silo-a", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await using var silo = cluster.StartSiloProcess("silo-t");
        var target = cluster.SiloJid("silo-t");
        await ops.WaitForAsync<Presence>(p => p.From == target && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);

        // Eve announces herself as silo-a to silo-t. Her chat command after it arrives on the same stream, so once
        // it is answered the presence has been seen.
        await eve.Client.SendAsync(SiloPresence(target, "silo-a", PresenceType.Available), ct);
        await eve.ChatAsync(target, "help", cancellationToken: ct);
        var answer = await ops.ChatAsync(target, "drain silo-a", cancellationToken: ct);
        answer.Should().Contain(cluster.SiloA.ToString(), "silo-t must point the operator at the real silo-a").And.NotContain("eve@");

        // ...then goes "unavailable": a crash hint would probe silo-a (and, were its port closed, kill it).
        await eve.Client.SendAsync(new Presence(PresenceType.Unavailable) { To = target }, ct);
        await eve.ChatAsync(target, "help", cancellationToken: ct);

        // The same two stanzas from the silos' own account do start the check (it finds silo-a alive): the control
        // that shows the log line this test looks for is written when a hint is acted on.
        await using (var impostor = await XmppTestUser.ConnectAsync(cluster, BridgeClusterFixture.SiloUser, "impostor", cancellationToken: ct))
        {
            await impostor.Client.SendAsync(SiloPresence(target, "silo-a", PresenceType.Available), ct);
            await impostor.Client.SendAsync(new Presence(PresenceType.Unavailable) { To = target }, ct);
            await silo.WaitForOutputAsync(line => line.Contains(CrashHintLine, StringComparison.Ordinal), Long, ct);
        }

        // Eve's came first; give a late check of hers time to log before counting.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var hints = silo.RecentOutput.Split('\n').Count(line => line.Contains(CrashHintLine, StringComparison.Ordinal));

        // Leave the shared cluster as found: a silo killed by the process's disposal stays listed Active until Orleans
        // declares it dead, and the next test's grains could be placed on it (seen: connection refused in a query test).
        (await silo.StopAsync(Long, ct)).Should().BeTrue("silo-t stops on SIGTERM");
        await cluster.WaitUntilSiloGoneAsync("silo-t", ct);
        hints.Should().Be(1, "only the silo account's unavailable may start a crash hint, not eve's\n" + silo.RecentOutput);
    }

    private static Presence SiloPresence(Jid to, string name, PresenceType type)
    {
        var presence = new Presence(type) { To = to };
        presence.Element.Add(new XElement(ActorsXml.Silo, new XAttribute("name", name), new XAttribute("status", "Active")));
        return presence;
    }
}
