using Actors.Contracts.Hosting;
using Actors.Gateway.Options;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Cluster;

/// <summary>
/// Keeps retrying the first connection to the cluster, with exponential back-off and jitter (<see cref="Backoff"/>)
/// capped at <see cref="GatewayOptions.MaxConnectRetryDelay"/>, until the host stops. Orleans' default gives up after
/// 15 attempts, which would leave a gateway started before its silos useless forever.
/// </summary>
internal sealed partial class ClusterConnectRetryFilter(IOptions<GatewayOptions> options, ILogger<ClusterConnectRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    /// <summary>
    /// The longest wait after the first failure. Short, because the usual cause is silos still starting; the jitter
    /// keeps gateways that were started together from knocking on a silo in step.
    /// </summary>
    private static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(500);

    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        var attempt = Interlocked.Increment(ref _attempt);
        var delay = Backoff.Delay(attempt, InitialDelay, options.Value.MaxConnectRetryDelay);
        // First failures are expected while silos start; say so quietly, then louder.
        if (attempt <= 3)
        {
            LogRetryQuiet(logger, attempt, exception.GetType().Name, exception.Message, delay);
        }
        else
        {
            LogRetry(logger, attempt, exception.GetType().Name, exception.Message, delay);
        }
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster not reachable yet (attempt {Attempt}): {ExceptionType}: {Reason}; retrying in {Delay}")]
    private static partial void LogRetryQuiet(ILogger logger, int attempt, string exceptionType, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster still not reachable (attempt {Attempt}): {ExceptionType}: {Reason}; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, string exceptionType, string reason, TimeSpan delay);
}
