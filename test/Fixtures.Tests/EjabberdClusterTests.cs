using Actors.TestInfrastructure.Xmpp;

namespace Actors.Fixtures.Tests;

public sealed class EjabberdClusterTests
{
    [Fact]
    public async Task Start_TwoNodes_OneClusterWhoseAccountsWorkOnEitherNode()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await EjabberdCluster.StartNewAsync(cancellationToken: ct);
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);

        (await cluster.ListClusterAsync(first, ct)).Should().BeEquivalentTo([first.NodeName, second.NodeName]);
        (await cluster.ListClusterAsync(second, ct)).Should().BeEquivalentTo([first.NodeName, second.NodeName]);
        first.Port.Should().NotBe(second.Port);
        first.CertificatePath.Should().Be(second.CertificatePath, "one certificate, so a client trusts every node");

        // Registered through node 0, used on node 1: the accounts are in the replicated Mnesia tables.
        await XmppMessaging.RegisterPairAsync(cluster, ct);
        (await XmppMessaging.SendAliceToBobAsync(second, "via the second node", ct)).Should().Be("via the second node");
        TestContext.Current.SendDiagnosticMessage($"ejabberd cluster of 2 started and joined in {cluster.StartDuration.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task KillOneNode_OtherServesAndTheKilledOneRejoinsWhenStarted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await EjabberdCluster.StartNewAsync(security: XmppSecurity.Plaintext, cancellationToken: ct);
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        await XmppMessaging.RegisterPairAsync(cluster, ct);
        var tree = first.Process!.GetProcessTree();

        first.Kill();

        tree.Where(p => p.IsAlive && p.Name == "beam.smp").Should().BeEmpty();
        (await XmppMessaging.SendAliceToBobAsync(second, "while node 0 is down", ct)).Should().Be("while node 0 is down");
        await first.StartAsync(ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await cluster.ListClusterAsync(second, ct)).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, ct);
        }

        (await cluster.ListClusterAsync(second, ct)).Should().BeEquivalentTo([first.NodeName, second.NodeName], "it rejoined on its own spool");
        (await XmppMessaging.SendAliceToBobAsync(first, "after the restart", ct)).Should().Be("after the restart");
    }
}
