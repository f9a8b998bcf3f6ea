namespace Actors.Gateway.Cluster;

/// <summary>The gateway has not (yet) connected to any silo, so no grain call can be made.</summary>
internal sealed class ClusterNotConnectedException : Exception
{
    /// <summary>Creates the exception with the standard message.</summary>
    public ClusterNotConnectedException()
        : base("The gateway is not connected to the cluster yet (no silo reachable). Retry after Retry-After seconds.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ClusterNotConnectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public ClusterNotConnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
