using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// <c>drain</c> aims at one silo (DESIGN §9): the fixture's silos share one account, so a message to the bare JID may
/// reach all of them; it must then name the silo, and only that silo leaves.
/// </summary>
public abstract class AimedDrainTests(BridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Drain_ToTheSharedBareJidWithoutAName_IsRefused_AndToAFullJidWithAnotherName_SaysWhere()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "aim", cancellationToken: ct);
        var bare = Jid.Parse($"silo@{cluster.Domain}");
        var mark = ops.Mark;

        await ops.Client.SendAsync(new Message(bare, "drain"), ct);
        // The server hands a message to a bare JID to every resource: both silos answer, in either order. Wait for
        // both, or silo-a's late refusal would be taken for its answer to the next command.
        var refused = await ops.WaitForAsync<Message>(m => m.From == cluster.SiloA && m.Body is not null, mark, cancellationToken: ct);
        await ops.WaitForAsync<Message>(m => m.From == cluster.SiloB && m.Body is not null, mark, cancellationToken: ct);
        var elsewhere = await ops.ChatAsync(cluster.SiloA, "drain silo-b", cancellationToken: ct);
        var unknown = await ops.ChatAsync(cluster.SiloA, "drain silo-nobody", cancellationToken: ct);
        var status = await ops.ChatAsync(cluster.SiloA, "status", cancellationToken: ct);

        TestOutput.Record("drain to the bare JID", refused.Body!);
        refused.Body.Should().StartWith("Refused: this went to").And.Contain("drain <silo-name>");
        elsewhere.Should().StartWith("Refused: this is silo-a.").And.Contain(cluster.SiloB.ToString());
        unknown.Should().StartWith("Refused: no active silo is named silo-nobody");
        status.Should().Contain("silo-a").And.Contain("silo-b").And.StartWith("2 of 2 silos active", "nothing was drained");
    }

    [Fact]
    public async Task DrainByName_ToTheSharedBareJid_DrainsOnlyThatSilo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "aim-name", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        await using var silo = cluster.StartSiloProcess("silo-n");
        var jid = cluster.SiloJid("silo-n");
        await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);
        var mark = ops.Mark;

        await ops.Client.SendAsync(new Message(Jid.Parse($"silo@{cluster.Domain}"), "drain silo-n"), ct);

        var reply = await ops.WaitForAsync<Message>(m => m.From == jid && m.Body is not null, mark, Long, ct);
        reply.Body.Should().StartWith("Draining silo-n:");
        (await silo.WaitForExitAsync(Long, ct)).Should().BeTrue(silo.RecentOutput);
        silo.ExitCode.Should().Be(0);
        await cluster.WaitUntilSiloGoneAsync("silo-n", ct);
        ops.Received<Message>(mark).Where(m => m.Body is not null && m.From != jid).Should().BeEmpty("the other silos of the account stay silent and stay");
        (await ops.ChatAsync(cluster.SiloA, "status", cancellationToken: ct)).Should().StartWith("2 of 2 silos active");
    }
}
