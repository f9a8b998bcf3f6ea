using Actors.TestInfrastructure.Xmpp;

namespace Actors.XmppBridge.Tests;

/// <summary>
/// One XMPP server with STARTTLS and a self-signed certificate, shared by a test class; accounts are made per test so
/// tests do not share rosters.
/// </summary>
public abstract class XmppServerFixture<TServer> : IAsyncLifetime
    where TServer : IXmppTestServer
{
    private int _users;

    public TServer Server { get; private set; } = default!;

    public async ValueTask InitializeAsync() => Server = await StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Registers a fresh account.</summary>
    public async Task<(string User, string Password)> NewUserAsync(string prefix, CancellationToken cancellationToken)
    {
        var user = $"{prefix}{Interlocked.Increment(ref _users)}";
        var password = $"{user}-pw";
        await Server.RegisterAsync(user, password, cancellationToken);
        return (user, password);
    }

    /// <summary>Registers two fresh accounts and connects a client for each.</summary>
    internal async Task<(TestClient First, TestClient Second)> ConnectPairAsync(string first, string second, CancellationToken cancellationToken)
    {
        var (a, ap) = await NewUserAsync(first, cancellationToken);
        var (b, bp) = await NewUserAsync(second, cancellationToken);
        var one = await TestClient.ConnectAsync(Server, a, ap, cancellationToken);
        try
        {
            return (one, await TestClient.ConnectAsync(Server, b, bp, cancellationToken));
        }
        catch
        {
            await one.DisposeAsync();
            throw;
        }
    }

    protected abstract Task<TServer> StartAsync(CancellationToken cancellationToken);
}

/// <summary>One Prosody with STARTTLS.</summary>
public sealed class ProsodyFixture : XmppServerFixture<ProsodyServer>
{
    protected override Task<ProsodyServer> StartAsync(CancellationToken cancellationToken) =>
        ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = XmppSecurity.StartTls }, cancellationToken);
}

/// <summary>One ejabberd with STARTTLS.</summary>
public sealed class EjabberdFixture : XmppServerFixture<EjabberdServer>
{
    protected override Task<EjabberdServer> StartAsync(CancellationToken cancellationToken) =>
        EjabberdServer.StartNewAsync(new EjabberdServerOptions { Security = XmppSecurity.StartTls }, cancellationToken);
}
