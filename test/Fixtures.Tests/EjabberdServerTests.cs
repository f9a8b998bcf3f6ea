using Actors.TestInfrastructure.Xmpp;

namespace Actors.Fixtures.Tests;

public sealed class EjabberdServerTests
{
    [Theory]
    [InlineData(XmppSecurity.StartTls)]
    [InlineData(XmppSecurity.Plaintext)]
    public async Task SendMessage_TwoRegisteredAccounts_SecondClientReceivesIt(XmppSecurity security)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ejabberd = await EjabberdServer.StartNewAsync(new EjabberdServerOptions { Security = security }, ct);
        await XmppMessaging.RegisterPairAsync(ejabberd, ct);

        var body = await XmppMessaging.SendAliceToBobAsync(ejabberd, $"hello over {security}", ct);

        body.Should().Be($"hello over {security}");
        TestContext.Current.SendDiagnosticMessage($"ejabberd ({security}) started in {ejabberd.LastStartDuration.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Restart_AfterStop_KeepsAccounts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ejabberd = await EjabberdServer.StartNewAsync(new EjabberdServerOptions { Security = XmppSecurity.Plaintext }, ct);
        await XmppMessaging.RegisterPairAsync(ejabberd, ct);

        await ejabberd.StopAsync(ct);
        await ejabberd.StartAsync(ct);

        (await XmppMessaging.SendAliceToBobAsync(ejabberd, "after restart", ct)).Should().Be("after restart");
    }

    [Fact]
    public async Task Dispose_RunningServer_LeavesNoBeamEpmdOrChildSetup()
    {
        var ct = TestContext.Current.CancellationToken;
        var ejabberd = await EjabberdServer.StartNewAsync(cancellationToken: ct);
        await ejabberd.RegisterAsync("carol", "carol-secret", ct);
        var tree = ejabberd.Process!.GetProcessTree();
        tree.Should().Contain(p => p.Name == "beam.smp").And.Contain(p => p.Name == "erl_child_setup");
        tree.Should().NotContain(p => p.Name == "epmd");

        await ejabberd.DisposeAsync();

        tree.Where(p => p.IsAlive).Should().BeEmpty();
        Directory.Exists(ejabberd.Directory).Should().BeFalse();
    }
}
