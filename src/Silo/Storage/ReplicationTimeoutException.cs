namespace Actors.Silo.Storage;

/// <summary>
/// A write reached its Redis primary but not enough replicas confirmed it in time, so it is not acknowledged
/// (docs/reliability.md). Retrying with the same write id is safe: it is a duplicate if the write survived, applied
/// again if it was lost with its primary.
/// </summary>
public sealed class ReplicationTimeoutException : Exception
{
    public ReplicationTimeoutException()
    {
    }

    public ReplicationTimeoutException(string message)
        : base(message)
    {
    }

    public ReplicationTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
