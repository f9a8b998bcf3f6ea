using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using StackExchange.Redis;

namespace Actors.Contracts;

/// <summary>
/// Tells the exceptions of a grain call that mean "the cluster cannot serve this now, retry" from the ones that mean
/// a bug. Shared by every front end (HTTP gateway, XMPP bridge, .NET clients), so they all answer the same failure the
/// same way: the gateway with <c>503</c>, the bridge with a retryable stanza error, a client by retrying.
/// </summary>
/// <remarks>
/// Retrying after a transient failure is safe for writes because every write carries a write id (docs/data-model.md): a
/// write that did land comes back as a duplicate. Bad input never shows up here, because the grains report it as a
/// value (<see cref="ActorsError"/>), not as an exception.
/// </remarks>
public static class TransientFailures
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps (inner exceptions, every exception of an
    /// <see cref="AggregateException"/>), says the cluster is unreachable, a silo died or refused the call (overloaded,
    /// shutting down), the call timed out, or the runtime failed to serve it (e.g. a grain that cannot activate because
    /// storage is down).
    /// </summary>
    public static bool IsTransient(Exception exception) => Find(exception) is not null;

    /// <summary>
    /// As <see cref="IsTransient(Exception)"/>, also counting every exception in the chain for which
    /// <paramref name="alsoTransient"/> returns true: a front end's own transport exceptions (e.g. the gateway's "not
    /// connected yet").
    /// </summary>
    public static bool IsTransient(Exception exception, Func<Exception, bool>? alsoTransient) => Find(exception, alsoTransient) is not null;

    /// <summary>
    /// The exception in <paramref name="exception"/>'s chain (itself first, then what it wraps) that makes it
    /// transient, or null when none does. Callers use it to describe or log the cause rather than its wrapper.
    /// </summary>
    public static Exception? Find(Exception exception, Func<Exception, bool>? alsoTransient = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (IsTransientItself(current) || alsoTransient?.Invoke(current) == true)
            {
                return current;
            }
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find(inner, alsoTransient) is { } found)
                    {
                        return found;
                    }
                }
                // Its InnerException is the first of InnerExceptions, already searched.
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// One sentence for a person saying what went wrong, without internals or exception names, and without advice
    /// that depends on the protocol: the caller adds how to retry (<c>Retry-After</c>, the same write id, …).
    /// </summary>
    public static string Describe(Exception exception) => Find(exception) switch
    {
        TimeoutException => "The cluster did not answer in time (a silo may have just failed).",
        GatewayTooBusyException => "The cluster is overloaded.",
        // SiloUnavailableException is a rejection too: the silo that held the call died or left.
        OrleansMessageRejectionException => "A silo refused or dropped the call (it is shutting down, overloaded or just failed).",
        ConnectionFailedException or ClientNotAvailableException => "The cluster is unreachable.",
        _ => "The cluster is unreachable or overloaded.",
    };

    /// <summary>Redis Cluster's replies while a shard fails over or loads (the command was not applied).</summary>
    private static bool IsFailoverReply(string message) =>
        message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("LOADING", StringComparison.Ordinal) || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("READONLY", StringComparison.Ordinal);

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
            or ConnectionFailedException or ClientNotAvailableException or TimeoutException => true,
        // Grains report bad input as values, never as exceptions; an OrleansException from a call is the runtime
        // failing, e.g. a root that cannot activate because its storage (Redis) is unreachable.
        OrleansException => true,
        // Redis unreachable or failing over, reaching a caller unwrapped (from the runtime's own Redis use, e.g. the
        // membership table, or a path that does not wrap it in StorageUnavailableException): retryable, never a bug.
        // (RedisTimeoutException is a TimeoutException.) A fault scenario saw one become a 500 when the Redis node
        // holding the membership table was killed.
        RedisConnectionException => true,
        RedisServerException server => IsFailoverReply(server.Message),
        _ => false,
    };
}
