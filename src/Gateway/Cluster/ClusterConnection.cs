namespace Actors.Gateway.Cluster;

/// <summary>
/// Connects the Orleans client in the background, so the gateway starts, serves <c>/healthz</c> and answers
/// <c>503</c> while no silo is reachable, instead of blocking start-up (Orleans' own hosted client waits for a silo).
/// </summary>
/// <remarks>
/// Owns the client's lifetime: <see cref="Hosting.GatewayHostingExtensions"/> removes the client's own hosted service and
/// registers this one. Retrying the connection is left to Orleans, through <see cref="ClusterConnectRetryFilter"/>, which
/// retries until the host stops.
/// </remarks>
internal sealed partial class ClusterConnection(IClusterClient client, ILogger<ClusterConnection> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _connecting = Task.CompletedTask;
    private volatile bool _connected;

    /// <summary>True once the client has connected to a silo; grain calls before that cannot work.</summary>
    public bool IsConnected => _connected;

    /// <summary>Throws <see cref="ClusterNotConnectedException"/> unless <see cref="IsConnected"/>.</summary>
    public void EnsureConnected()
    {
        if (!_connected)
        {
            throw new ClusterNotConnectedException();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _connecting = Task.Run(() => ConnectAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _connecting.WaitAsync(cancellationToken);
        if (_connected)
        {
            _connected = false;
            await Hosted.StopAsync(cancellationToken);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private IHostedService Hosted => client as IHostedService
        ?? throw new InvalidOperationException($"The Orleans {nameof(IClusterClient)} is not an {nameof(IHostedService)}; {nameof(ClusterConnection)} cannot start it.");

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            LogConnecting(logger);
            await Hosted.StartAsync(cancellationToken);
            _connected = true;
            LogConnected(logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before a silo answered.
        }
        catch (Exception exception)
        {
            // Only reachable if the retry filter gives up, which it does not; the gateway then keeps answering 503.
            LogConnectFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the Actors cluster")]
    private static partial void LogConnecting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the Actors cluster")]
    private static partial void LogConnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Gave up connecting to the Actors cluster; every request will get 503 until restart")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception);
}
