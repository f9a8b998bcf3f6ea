namespace Actors.Silo.Storage;

/// <summary>Redis could not be read or written (unreachable, failing over, a slot moving); nothing is acknowledged.</summary>
public sealed class RedisStorageFailure : Exception
{
    public RedisStorageFailure()
    {
    }

    public RedisStorageFailure(string message)
        : base(message)
    {
    }

    public RedisStorageFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
