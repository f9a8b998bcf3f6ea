using Actors.Silo.Hosting;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// A stop that reaches a silo after Orleans is Active but before its host has started every service: the hosted
/// services registered after Orleans (the silo's index and catalog keepers, an application's own) start after that.
/// Stopping the host then cancels their start, and the host's <c>RunAsync</c> throws (dotnet/runtime#111013): the
/// process would end with an unhandled exception. Seen once in CI, where a drain came right after available. Here an
/// application's service holds the start until the test releases it.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class StopDuringStartupTests(ProsodyBridgeClusterFixture cluster)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Drain_BeforeTheHostHasStarted_StopsOnceStartedWithoutAnError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ops = await XmppTestUser.ConnectAsync(cluster, "ops", "early-drain", cancellationToken: ct);
        await ops.Client.SubscribeAsync(Jid.Parse($"silo@{cluster.Domain}"), ct);
        var laterService = new ServiceThatStartsWhenReleased();
        var silo = cluster.BuildSilo("silo-e", services: s => s.AddSingleton<IHostedService>(laterService));
        var jid = cluster.SiloJid("silo-e");
        // RunAsync disposes the host when it ends.
        var run = silo.RunAsync(ct);
        try
        {
            await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Available && p.Show == PresenceShow.None, timeout: Long, cancellationToken: ct);
            await laterService.Gate.Entered.WaitAsync(Long, ct);
            var mark = ops.Mark;

            var reply = await ops.ChatAsync(jid, "drain", cancellationToken: ct);

            reply.Should().StartWith("Draining silo-e:");
            await ops.WaitForAsync<Presence>(p => p.From == jid && p.Show == PresenceShow.Away, mark, Long, ct);
            run.IsCompleted.Should().BeFalse("the host has not finished starting, so the drain waits for it");
            laterService.Gate.Release();
            var act = async () => await run.WaitAsync(Long, ct);
            await act.Should().NotThrowAsync("a drain stops the silo gracefully, even one that came while the host started");
            await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Unavailable, mark, Long, ct);
        }
        finally
        {
            await EndAsync(silo, run, laterService.Gate);
        }

        await cluster.WaitUntilSiloGoneAsync("silo-e", ct);
    }

    [Fact]
    public async Task StopRequested_BeforeTheHostHasStarted_LeavesTheClusterGracefully()
    {
        var ct = TestContext.Current.CancellationToken;
        var laterService = new ServiceThatStartsWhenReleased();
        using var silo = cluster.BuildSilo("silo-s", services: s => s.AddSingleton<IHostedService>(laterService));
        var lifetime = silo.Services.GetRequiredService<IHostApplicationLifetime>();
        // What the silo's entry point (src/Silo/Host/Program.cs) runs.
        var run = silo.RunGracefullyAsync();
        try
        {
            await laterService.Gate.Entered.WaitAsync(Long, ct);
            (await cluster.MembershipStatusesAsync("silo-s")).Should().Contain(SiloStatus.Active, "Orleans has joined before the services after it start");

            lifetime.StopApplication(); // what SIGTERM and Ctrl-C do

            var act = async () => await run.WaitAsync(Long, ct);
            await act.Should().NotThrowAsync("a stop while the host starts is still a graceful stop");
            (await cluster.MembershipStatusesAsync("silo-s")).Should().NotContain(s => s != SiloStatus.Dead,
                "a graceful stop takes the silo out of the membership before it returns, where a crash leaves it Active until it is declared dead");
        }
        finally
        {
            await EndAsync(silo, run, laterService.Gate);
        }

        await cluster.WaitUntilSiloGoneAsync("silo-s", ct);
    }

    /// <summary>
    /// A stop in the middle of Orleans' own start: in a stage before the silo writes itself into the membership, which
    /// honours its token (Orleans then never was Running, and refuses to be stopped), or between two stages once the
    /// silo is Active (Orleans throws its own <see cref="OrleansLifecycleCanceledException"/>; the silo must leave).
    /// </summary>
    [Theory]
    [InlineData(ServiceLifecycleStage.RuntimeServices, true)]
    [InlineData(ServiceLifecycleStage.Active, false)]
    public async Task StopRequested_WhileOrleansStillStarts_EndsWithoutAnErrorOrALiveEntry(int stage, bool honoursToken)
    {
        var ct = TestContext.Current.CancellationToken;
        var name = $"silo-o{stage}";
        var orleansStage = new StageThatStartsWhenReleased(stage, honoursToken);
        var silo = cluster.BuildSilo(name, services: s => s.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(orleansStage));
        var lifetime = silo.Services.GetRequiredService<IHostApplicationLifetime>();
        var run = silo.RunGracefullyAsync();
        try
        {
            await orleansStage.Gate.Entered.WaitAsync(Long, ct);

            lifetime.StopApplication(); // what SIGTERM and Ctrl-C do
            orleansStage.Gate.Release();

            var act = async () => await run.WaitAsync(Long, ct);
            await act.Should().NotThrowAsync("a stop while Orleans starts is a clean stop");
            (await cluster.MembershipStatusesAsync(name)).Should().NotContain(s => s != SiloStatus.Dead,
                "a silo stopped while it starts leaves no live entry in the membership for the others to probe");
        }
        finally
        {
            await EndAsync(silo, run, orleansStage.Gate);
            // Not disposed by a using after the membership check: this silo may never leave (a refused stop), and its
            // runtime and XMPP session must not outlive the test in the shared cluster.
            silo.Dispose();
        }
    }

    /// <summary>
    /// Whatever failed in a test, its silo must not stay half-started in the shared cluster: open the gate, stop the
    /// host (if it still runs) and wait for its run to end.
    /// </summary>
    private static async Task EndAsync(IHost silo, Task run, StartGate gate)
    {
        gate.Release();
        if (!run.IsCompleted)
        {
            silo.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        }

        await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    /// <summary>Holds one step of a host's start until the test releases it, honouring the start's token or not.</summary>
    private sealed class StartGate(bool honoursToken)
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the start has reached the step (a host stopped before that skips it).</summary>
        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public Task PassAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            return honoursToken ? _released.Task.WaitAsync(cancellationToken) : _released.Task;
        }
    }

    /// <summary>A stage of Orleans' start that waits for the test.</summary>
    private sealed class StageThatStartsWhenReleased(int stage, bool honoursToken) : ILifecycleParticipant<ISiloLifecycle>
    {
        public StartGate Gate { get; } = new(honoursToken);

        public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(StageThatStartsWhenReleased), stage, Gate.PassAsync);
    }

    /// <summary>An application's hosted service whose start takes a while and honours its token, as hosted services should.</summary>
    private sealed class ServiceThatStartsWhenReleased : IHostedService
    {
        public StartGate Gate { get; } = new(honoursToken: true);

        public Task StartAsync(CancellationToken cancellationToken) => Gate.PassAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
