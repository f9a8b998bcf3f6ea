namespace Actors.Contracts;

/// <summary>
/// Grain storage could not read, write or replicate a root's state: Redis is unreachable or failing over, or not
/// enough replicas confirmed a write in time (docs/reliability.md). Nothing it concerned is acknowledged; retrying with
/// the same write id is safe. It derives from <see cref="OrleansException"/> so every front end already counts it as a
/// transient cluster failure (<see cref="TransientFailures"/>): HTTP 503, XMPP <c>wait</c>.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : OrleansException
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
