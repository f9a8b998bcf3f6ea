using System.Diagnostics;
using System.Globalization;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Load;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>
/// Issue 13's first acceptance: under the agent (3 silo processes and the gateway, Redis, Prosody), SIGKILL a silo while
/// HTTP writes (through the gateway, JSON Patch appends with an Idempotency-Key) and XMPP writes (XmppStoreWriter,
/// receipts) run. The other silos and the gateway keep serving, the agent restarts the silo, a watcher sees it
/// <c>unavailable</c> and then <c>available</c> again, and no acknowledged write is lost or applied twice — checked by
/// reading every root back, as the fault suite does (the same load generators, test/TestInfrastructure/Load).
/// </summary>
public sealed class AgentSiloKillUnderLoadTests : IDisposable
{
    private const string SiloAccount = "silo";
    private const string Password = "pw-secret";
    private readonly TempDirectory _directory = TempDirectory.Create("agent-kill");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SiloSigKilledUnderTheAgent_WhileHttpAndXmppWritesRun_RestartedWithNothingLostOrDoubled()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var clock = Stopwatch.StartNew();
        await using var redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        await using var prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls }, ct);
        foreach (var user in (string[])[SiloAccount, XmppLoadGenerator.WriterUser, "watcher"])
        {
            await prosody.RegisterAsync(user, Password, ct);
        }

        var options = new AgentOptions { Machine = "killbox", LogDirectory = _directory.Combine("logs") };
        foreach (var name in (string[])["silo-1", "silo-2", "silo-3"])
        {
            options.Processes.Add(SiloProcessSpec(name, redis, prosody, $"{SiloAccount}@{prosody.Domain}", Password));
        }

        var http = FreePort.Allocate();
        options.Processes.Add(GatewayProcessSpec("gateway", http, redis));
        var (supervisor, console) = Supervisor(options);
        await using var _ = supervisor;
        (await supervisor.StartAllAsync(ct)).Should().BeTrue(console.ToString());

        await using var watcher = await ChatClient.ConnectAsync(prosody, "watcher", Password, ct);
        var silos = Jid.Parse($"{SiloAccount}@{prosody.Domain}");
        var victimJid = silos.WithResource("silo-2");
        await watcher.Client.SubscribeAsync(silos, ct);
        await watcher.NextAsync<Presence>(p => p.From == victimJid && IsActive(p), ct, TimeSpan.FromSeconds(60));

        var gateway = new Uri($"http://127.0.0.1:{http.ToString(CultureInfo.InvariantCulture)}/");
        await using var load = new HttpLoadGenerator(() => gateway, "agentkill", roots: 30, writers: 4, clock);
        var writerOptions = new XmppClientOptions
        {
            Jid = Jid.Parse($"{XmppLoadGenerator.WriterUser}@{prosody.Domain}/{XmppLoadGenerator.ResourceOf("agentkill")}"),
            Password = Password,
            Host = prosody.Host,
            Port = prosody.Port,
            TrustedCertificate = prosody.Certificate,
        };
        await using var xmpp = await XmppLoadGenerator.ConnectAsync(writerOptions, silos.ToString(), "agentkill", roots: 30, writers: 2, silos: 3, clock, ct);
        await load.CreateRootsAsync(ct);
        await xmpp.CreateRootsAsync(ct);
        load.Start();
        xmpp.Start();
        await load.WaitForAcknowledgementsAsync(50, TimeSpan.Zero, TimeSpan.FromSeconds(60), ct);
        await xmpp.WaitForAcknowledgementsAsync(20, TimeSpan.Zero, TimeSpan.FromSeconds(60), ct);

        var victim = supervisor.Find("silo-2")!;
        var mark = clock.Elapsed;
        Signal(victim.Pid!.Value, 9);
        // The server ends a silo's session (no resumption) as soon as its connection breaks: the watcher hears first.
        await watcher.NextAsync<Presence>(p => p.From == victimJid && p.Type == PresenceType.Unavailable, ct);
        var unavailableAfter = clock.Elapsed - mark;
        var restarted = await EventuallyAsync(() => supervisor.Find("silo-2"), p => p.Starts.Count == 2, "silo-2 started again", TimeSpan.FromSeconds(10));
        var startedAfter = clock.Elapsed - mark;
        await EventuallyAsync(() => supervisor.Find("silo-2"), p => p.State == ProcessState.Running && p.Restarts == 1, "silo-2 Active again", TimeSpan.FromSeconds(90));
        var activeAfter = clock.Elapsed - mark;
        await watcher.NextAsync<Presence>(p => p.From == victimJid && IsActive(p), ct, TimeSpan.FromSeconds(60));
        var availableAfter = clock.Elapsed - mark;

        // Steady again: more acknowledgements on both paths, then stop and let every write in flight finish.
        var steady = clock.Elapsed;
        await load.WaitForAcknowledgementsAsync(30, steady, TimeSpan.FromSeconds(60), ct);
        await xmpp.WaitForAcknowledgementsAsync(10, steady, TimeSpan.FromSeconds(60), ct);
        await Task.WhenAll(load.StopAsync(), xmpp.StopAsync());
        var items = await load.ReadAllAsync(TimeSpan.FromSeconds(60), ct);
        var xmppItems = await load.ReadAllAsync(xmpp.RootIds, TimeSpan.FromSeconds(60), ct);
        var v = Verification.Check(load, items);
        var x = Verification.Check(xmpp.Writes, xmpp.Sent, xmppItems);

        output?.WriteLine($"silo-2 SIGKILLed under the agent: started again after {startedAfter.TotalSeconds:0.0} s, Active after {activeAfter.TotalSeconds:0.0} s; " +
            $"the watcher saw unavailable after {unavailableAfter.TotalSeconds:0.00} s and available 'Active' after {availableAfter.TotalSeconds:0.0} s; " +
            $"HTTP: {v.Acknowledged} acknowledged ({v.AcknowledgedAsDuplicate} as duplicate), {load.Failures.Count(f => f.At >= mark)} failed attempts retried; " +
            $"XMPP: {x.Acknowledged} acknowledged ({x.AcknowledgedAsDuplicate} as duplicate), {xmpp.Failures.Count(f => f.At >= mark)} failed calls retried");
        restarted.Pid.Should().NotBe(victim.Pid);
        startedAfter.Should().BeLessThan(TimeSpan.FromSeconds(3), "the first restart comes after 1 s");
        foreach (var sibling in (string[])["silo-1", "silo-3", "gateway"])
        {
            supervisor.Find(sibling)!.Restarts.Should().Be(0, $"{sibling} keeps serving and is never touched");
        }

        foreach (var (path, check) in new[] { ("HTTP", v), ("XMPP", x) })
        {
            check.Rejected.Should().BeEmpty($"every {path} write is valid: only success or a retryable failure may come back");
            check.Lost.Should().BeEmpty($"an acknowledged {path} write is durable");
            check.AppliedTwice.Should().BeEmpty($"a {path} write retried with the same key is applied at most once");
            check.NeverSent.Should().BeEmpty();
            check.InWrongRoot.Should().BeEmpty();
            check.NotAcknowledged.Should().Be(0, $"every {path} write is retried until acknowledged");
        }
    }

    private static bool IsActive(Presence presence) =>
        presence.Type == PresenceType.Available && presence.Status?.StartsWith("Active", StringComparison.Ordinal) == true;
}
