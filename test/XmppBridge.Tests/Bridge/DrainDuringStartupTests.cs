using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// A drain that reaches a silo after it says available but before its host has started every service. The bridge says
/// available once Orleans is Active; the hosted services registered after the silo's (its own index and catalog
/// keepers, an application's services) start after that. Stopping the host then cancels their start, and the host's
/// Run throws (dotnet/runtime#111013): a drained silo process would end with an unhandled exception. Seen once in CI,
/// where a drain came right after available. Here an application's service holds the start until the test releases it.
/// </summary>
[Collection(BridgeCluster.Name)]
public sealed class DrainDuringStartupTests(ProsodyBridgeClusterFixture cluster)
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
            await laterService.Entered.WaitAsync(Long, ct);
            var mark = ops.Mark;

            var reply = await ops.ChatAsync(jid, "drain", cancellationToken: ct);

            reply.Should().StartWith("Draining silo-e:");
            await ops.WaitForAsync<Presence>(p => p.From == jid && p.Show == PresenceShow.Away, mark, Long, ct);
            run.IsCompleted.Should().BeFalse("the host has not finished starting, so the drain waits for it");
            laterService.Release();
            var act = async () => await run.WaitAsync(Long, ct);
            await act.Should().NotThrowAsync("a drain stops the silo gracefully, even one that came while the host started");
            await ops.WaitForAsync<Presence>(p => p.From == jid && p.Type == PresenceType.Unavailable, mark, Long, ct);
        }
        finally
        {
            // Whatever failed above, this silo must not stay half-started in the shared cluster.
            laterService.Release();
            if (!run.IsCompleted)
            {
                silo.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            }

            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await cluster.WaitUntilSiloGoneAsync("silo-e", ct);
    }

    /// <summary>An application's hosted service whose start takes a while and honours its token, as hosted services should.</summary>
    private sealed class ServiceThatStartsWhenReleased : IHostedService
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the host has begun starting this service (a host stopped before that skips it).</summary>
        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            return _released.Task.WaitAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
