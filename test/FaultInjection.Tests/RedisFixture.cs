using Actors.FaultInjection.Tests.Harness;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Xmpp;

namespace Actors.FaultInjection.Tests;

/// <summary>
/// One real redis-server (AOF on, <c>appendfsync everysec</c>, as <c>./actors up</c> runs it) shared by the scenarios;
/// each scenario has a cluster of its own on it, and one real Prosody (STARTTLS with a self-signed certificate,
/// <c>smacks_hibernation_time</c> 5 s) with the accounts of <see cref="FaultXmpp"/>. Scenarios restart and kill them, so
/// they run one after another.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public ProsodyServer Prosody { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        Prosody = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls, SmacksHibernationTime = TimeSpan.FromSeconds(5) }, ct);
        foreach (var user in FaultXmpp.Users)
        {
            await Prosody.RegisterAsync(user, FaultXmpp.PasswordOf(user), ct);
        }
    }

    /// <summary>Starts Redis or Prosody again if an earlier scenario failed while it was down.</summary>
    public async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (Redis.Process is null || Redis.Process.HasExited)
        {
            await Redis.StartAsync(cancellationToken);
        }
        if (Prosody.Process is null || Prosody.Process.HasExited)
        {
            await Prosody.StartAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Prosody is not null)
        {
            await Prosody.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
