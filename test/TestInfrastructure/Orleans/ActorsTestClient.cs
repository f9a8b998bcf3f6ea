using Actors.Contracts;
using Actors.Contracts.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.TestInfrastructure.Orleans;

/// <summary>
/// An Orleans client configured exactly as <c>AddActorsClient()</c> configures apps
/// (<see cref="ActorsClientExtensions.ConfigureClient"/>), in its own host.
/// </summary>
public sealed class ActorsTestClient : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly IHost _host;

    private ActorsTestClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public IRootGrain Root(RootId root) => Client.GetRoot(root);

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <summary>Starts a client; it connects to a gateway before this returns.</summary>
    public static async Task<ActorsTestClient> StartAsync(ActorsClusterOptions options, CancellationToken cancellationToken)
    {
        // No defaults: the Silo's appsettings.json is copied next to the tests and must not configure the client.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => ActorsClientExtensions.ConfigureClient(client, options));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
            return new ActorsTestClient(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _host.StopAsync(timeout.Token).WaitAsync(StopTimeout + TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The cluster it talked to may be gone; the client is disposed below regardless.
        }
        finally
        {
            _host.Dispose();
        }
    }
}
