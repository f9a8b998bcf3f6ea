namespace Actors.TestInfrastructure;

/// <summary>A real server a fixture starts, restarts and stops (Redis, Prosody, ejabberd).</summary>
public interface ITestServer : IAsyncDisposable
{
    /// <summary>Starts the server (again, on the same port and data) and waits until it serves.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);
}

/// <summary>Helpers shared by the server fixtures.</summary>
public static class TestServer
{
    /// <summary>Starts <paramref name="server"/>; if it does not come up, disposes it (no process or directory left) and rethrows.</summary>
    public static async Task<T> StartAsync<T>(T server, CancellationToken cancellationToken)
        where T : ITestServer
    {
        ArgumentNullException.ThrowIfNull(server);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
