namespace Actors.Gateway.Cluster;

/// <summary>A grain call was abandoned because the gateway lost a silo connection while it was in flight (see <see cref="SiloConnectionWatch"/>).</summary>
internal sealed class SiloConnectionLostException : Exception
{
    /// <summary>Creates the exception with the standard message.</summary>
    public SiloConnectionLostException()
        : base("A silo connection was lost while the call was in flight (a silo may have just failed). Retry; a write retried with the same Idempotency-Key is applied at most once.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SiloConnectionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public SiloConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
