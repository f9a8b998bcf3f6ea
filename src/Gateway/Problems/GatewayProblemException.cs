namespace Actors.Gateway.Problems;

/// <summary>
/// Ends a request with a problem response from deep inside the gateway (for example while expanding references);
/// <see cref="GatewayExceptionHandler"/> turns it into <c>application/problem+json</c>.
/// </summary>
internal sealed class GatewayProblemException : Exception
{
    /// <summary>Creates the exception for <paramref name="type"/> with a <paramref name="detail"/> that says what to fix.</summary>
    public GatewayProblemException(ProblemType type, string detail, Exception? innerException = null)
        : base(detail, innerException)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
    }

    /// <summary>The problem to report.</summary>
    public ProblemType Type { get; }
}
