using Actors.TestInfrastructure.Xmpp;

namespace Actors.Fixtures.Tests;

public sealed class ProsodyServerTests
{
    [Theory]
    [InlineData(XmppSecurity.StartTls)]
    [InlineData(XmppSecurity.Plaintext)]
    public async Task SendMessage_TwoRegisteredAccounts_SecondClientReceivesIt(XmppSecurity security)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = security }, ct);
        await XmppMessaging.RegisterPairAsync(prosody, ct);

        var body = await XmppMessaging.SendAliceToBobAsync(prosody, $"hello over {security}", ct);

        body.Should().Be($"hello over {security}");
        TestContext.Current.SendDiagnosticMessage($"prosody ({security}) started in {prosody.LastStartDuration.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Certificate_StartTlsMode_IsSelfSignedForTheDomain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var prosody = await ProsodyServer.StartNewAsync(cancellationToken: ct);

        prosody.Certificate.Should().NotBeNull();
        prosody.Certificate!.Subject.Should().Be("CN=localhost");
        prosody.Certificate.Issuer.Should().Be(prosody.Certificate.Subject);
        File.ReadAllText(prosody.ConfigPath).Should().NotContain("\"limits\"").And.Contain("smacks_hibernation_time = 5");
    }

    [Fact]
    public async Task Start_Default_RunsLuaGenerationalGc()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.Plaintext }, ct);

        // Prosody's own default (incremental, pause 105 %) costs ~40 % more CPU per stanza (docs/xmpp.md).
        prosody.LuaGcMode.Should().Be("generational");
        prosody.Process!.RecentOutput.Should().NotContain("Failed to apply GC configuration");
    }

    [Fact]
    public void DeployedConfigs_LuaGcAndNagleSettings_MatchTheFixture()
    {
        // What users run (./actors up, compose) is what the benchmarks measured.
        var root = RepositoryRoot();
        foreach (var config in (string[])[Path.Combine(root, "deploy", "prosody", "prosody.cfg.lua"), Path.Combine(root, "actors")])
        {
            File.ReadAllText(config).Should().Contain(ProsodyServer.LuaGcConfig, config)
                .And.Contain(ProsodyServer.NoNagleConfig, config);
        }
    }

    [Fact]
    public async Task Restart_AfterStopAndAfterKill_KeepsAccountsAndPort()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.Plaintext }, ct);
        await XmppMessaging.RegisterPairAsync(prosody, ct);
        var port = prosody.Port;

        await prosody.StopAsync(ct);
        prosody.Process!.HasExited.Should().BeTrue();
        await prosody.StartAsync(ct);
        (await XmppMessaging.SendAliceToBobAsync(prosody, "after stop", ct)).Should().Be("after stop");

        prosody.Kill();
        await prosody.StartAsync(ct);
        (await XmppMessaging.SendAliceToBobAsync(prosody, "after kill", ct)).Should().Be("after kill");
        prosody.Port.Should().Be(port);
    }

    [Fact]
    public async Task Dispose_RunningServer_LeavesNoProcessAndNoDirectory()
    {
        var ct = TestContext.Current.CancellationToken;
        var prosody = await ProsodyServer.StartNewAsync(cancellationToken: ct);
        var tree = prosody.Process!.GetProcessTree();
        tree.Should().NotBeEmpty();

        await prosody.DisposeAsync();

        tree.Where(p => p.IsAlive).Should().BeEmpty();
        Directory.Exists(prosody.Directory).Should().BeFalse();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Actors.sln above {AppContext.BaseDirectory}.");
    }
}
