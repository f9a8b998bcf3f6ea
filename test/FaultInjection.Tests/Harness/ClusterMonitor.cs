using Actors.Contracts;
using Actors.Contracts.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// An Orleans client of the cluster under test, configured as <c>AddActorsClient()</c> configures apps, used only to
/// watch: membership (when is a killed silo declared dead, is every live silo Active) and where roots are active.
/// </summary>
internal sealed class ClusterMonitor : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly IHost _host;
    private readonly IClusterClient _client;

    private ClusterMonitor(IHost host)
    {
        _host = host;
        _client = host.Services.GetRequiredService<IClusterClient>();
    }

    public static async Task<ClusterMonitor> StartAsync(ActorsClusterOptions options, CancellationToken cancellationToken)
    {
        // No defaults: no appsettings.json or environment may configure this client, and no console logging.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => ActorsClientExtensions.ConfigureClient(client, options));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
            return new ClusterMonitor(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Every silo in the membership table with its status, or null if the cluster did not answer in time.</summary>
    public async Task<Dictionary<SiloAddress, SiloStatus>?> TryGetHostsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A silo just died or Redis restarts: "no answer yet" for the caller's polling loop.
            return null;
        }
    }

    /// <summary>The silo <paramref name="root"/> is active on, or null if the cluster did not answer in time.</summary>
    public async Task<RootLocation?> TryLocateAsync(RootId root, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetRoot(root).GetLocationAsync().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
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
            // The cluster may be gone already; the host is disposed below regardless.
        }
        finally
        {
            _host.Dispose();
        }
    }
}
