namespace Actors.Gateway.Cluster;

/// <summary>
/// Tells grain calls in flight that the Orleans client just lost a connection to a silo, so they can give up at once
/// instead of waiting out the response timeout.
/// </summary>
/// <remarks>
/// Measured by the fault-injection suite (docs/reliability.md): after a silo is SIGKILLed, every call the client had sent
/// through that silo waits for the full <c>ResponseTimeout</c> (10 s), because Orleans' client does not fail the calls of
/// a gateway connection that closes. Orleans does not say which connection carried a call, so a loss ends every call
/// started before it; those callers get a <c>503</c> and retry, which is safe because writes are idempotent.
/// </remarks>
internal sealed partial class SiloConnectionWatch(ILogger<SiloConnectionWatch> logger) : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled when a silo connection that existed when this was read is lost; read it before starting a call.</summary>
    public CancellationToken ConnectionLost => Volatile.Read(ref _current).Token;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            LogConnectionLost(logger, previousNumberOfGateways, currentNumberOfGateways);
            Lost();
        }
    }

    public void NotifyClusterConnectionLost() => Lost();

    private void Lost()
    {
        // Not disposed: a call may have read the old source just before the swap and still ask for its token; without a
        // timer or wait handle a CancellationTokenSource holds nothing the garbage collector cannot take.
        var previous = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        previous.Cancel();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost a silo connection ({Previous} → {Current} connected); failing the grain calls in flight so their callers retry")]
    private static partial void LogConnectionLost(ILogger logger, int previous, int current);
}
