using Actors.TestInfrastructure.Xmpp;

namespace Actors.XmppBridge.Tests;

/// <summary>One Prosody with STARTTLS and a self-signed certificate, shared by a test class; accounts are made per test.</summary>
public sealed class ProsodyFixture : IAsyncLifetime
{
    private int _users;

    public ProsodyServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Server = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Registers a fresh account so tests do not share rosters.</summary>
    public async Task<(string User, string Password)> NewUserAsync(string prefix, CancellationToken cancellationToken)
    {
        var user = $"{prefix}{Interlocked.Increment(ref _users)}";
        var password = $"{user}-pw";
        await Server.RegisterAsync(user, password, cancellationToken);
        return (user, password);
    }
}
