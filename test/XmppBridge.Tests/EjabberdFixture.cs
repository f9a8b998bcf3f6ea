using Actors.TestInfrastructure.Xmpp;

namespace Actors.XmppBridge.Tests;

/// <summary>One ejabberd with STARTTLS and a self-signed certificate, shared by a test class.</summary>
public sealed class EjabberdFixture : IAsyncLifetime
{
    private int _users;

    public EjabberdServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Server = await EjabberdServer.StartNewAsync(new EjabberdServerOptions { Security = XmppSecurity.StartTls }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    public async Task<(string User, string Password)> NewUserAsync(string prefix, CancellationToken cancellationToken)
    {
        var user = $"{prefix}{Interlocked.Increment(ref _users)}";
        var password = $"{user}-pw";
        await Server.RegisterAsync(user, password, cancellationToken);
        return (user, password);
    }
}
