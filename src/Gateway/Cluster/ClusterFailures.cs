using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Actors.Gateway.Cluster;

/// <summary>Recognises the exceptions that mean "the cluster cannot serve this now" rather than a bug.</summary>
internal static class ClusterFailures
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps) says the cluster is unreachable, a silo died mid-call,
    /// the call timed out, or a silo refused it because it is overloaded or shutting down.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case ClusterNotConnectedException:
                case SiloUnavailableException:
                case OrleansMessageRejectionException:
                case GatewayTooBusyException:
                case ConnectionFailedException:
                case ClientNotAvailableException:
                case TimeoutException:
                // Grains report bad input as values, never as exceptions; an OrleansException from a call is the
                // runtime failing, e.g. a root that cannot activate because its storage (Redis) is unreachable.
                case OrleansException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }

    /// <summary>A detail for the <c>503</c> problem: what happened, without internals, and what to do.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        ClusterNotConnectedException notConnected => notConnected.Message,
        TimeoutException => "The cluster did not answer in time (a silo may have just failed). Retry after Retry-After seconds; a write retried with the same Idempotency-Key is applied at most once.",
        _ => "The cluster is unreachable or overloaded. Retry after Retry-After seconds; a write retried with the same Idempotency-Key is applied at most once.",
    };
}
