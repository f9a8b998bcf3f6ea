using Actors.Contracts;

namespace Actors.Gateway.Cluster;

/// <summary>
/// Recognises the exceptions that mean "the cluster cannot serve this now" rather than a bug: the transient failures
/// every front end shares (<see cref="TransientFailures"/>) plus the gateway's own, and words the <c>503</c> for them.
/// </summary>
internal static class ClusterFailures
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps) is transient (<see cref="TransientFailures.IsTransient(Exception)"/>):
    /// the cluster is unreachable, a silo died mid-call, the call timed out, or a silo refused it because it is
    /// overloaded or shutting down; or the gateway is not connected yet or lost a silo connection mid-call.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => TransientFailures.IsTransient(exception, IsGatewayFailure);

    /// <summary>A detail for the <c>503</c> problem: what happened, without internals, and what to do.</summary>
    public static string Describe(Exception exception) => TransientFailures.Find(exception, IsGatewayFailure) switch
    {
        // Their messages already say what to do.
        { } own when IsGatewayFailure(own) => own.Message,
        _ => TransientFailures.Describe(exception) + " Retry after Retry-After seconds; a write retried with the same Idempotency-Key is applied at most once.",
    };

    private static bool IsGatewayFailure(Exception exception) => exception is ClusterNotConnectedException or SiloConnectionLostException;
}
