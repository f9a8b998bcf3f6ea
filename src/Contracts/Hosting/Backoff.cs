namespace Actors.Contracts.Hosting;

/// <summary>
/// How long to wait before retrying after a failure: exponential back-off with "equal jitter". The ceiling doubles
/// with every failed attempt, from <c>initial</c> up to <c>max</c>; the delay is half the ceiling plus a random part of
/// the other half. The fixed half keeps a retry from coming back at once; the random half spreads out clients that
/// failed together (a silo or server restart), so they do not all retry in the same instant.
/// </summary>
/// <remarks>
/// The one retry-delay rule of the project: the gateway's cluster connection, the XMPP client's reconnects and the
/// bridge's retries all use it. It is a pure function of the attempt number, so the caller keeps its own counter and
/// resets it after a success.
/// </remarks>
public static class Backoff
{
    /// <summary>The multiplier between one attempt's ceiling and the next.</summary>
    public const int Multiplier = 2;

    /// <summary>
    /// The delay before the next try after <paramref name="attempt"/> failed attempts: a value from
    /// <c>Ceiling / 2</c> to <c>Ceiling</c>, where <c>Ceiling = min(max, initial × 2^(attempt − 1))</c>.
    /// </summary>
    /// <param name="attempt">How many attempts have failed so far, from 1 (the first retry waits about <paramref name="initial"/>).</param>
    /// <param name="initial">The ceiling after the first failure; above zero.</param>
    /// <param name="max">The largest ceiling, and so the longest delay; above zero. A <paramref name="max"/> below <paramref name="initial"/> caps every delay at <paramref name="max"/>.</param>
    /// <param name="random">The source of jitter; <see cref="Random.Shared"/> when null. Pass a seeded one for repeatable tests.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is below 1, or a delay is not above zero.</exception>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, Random? random = null)
    {
        var ceiling = Ceiling(attempt, initial, max);
        var half = ceiling.Ticks / 2;
        // NextInt64's upper bound is exclusive: + 1 lets the delay reach the ceiling itself.
        return TimeSpan.FromTicks(ceiling.Ticks - half + (random ?? Random.Shared).NextInt64(half + 1));
    }

    /// <summary>
    /// The longest delay <see cref="Delay"/> returns after <paramref name="attempt"/> failed attempts:
    /// <c>min(max, initial × 2^(attempt − 1))</c>. Useful for logging "retrying within …".
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is below 1, or a delay is not above zero.</exception>
    public static TimeSpan Ceiling(int attempt, TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(max, TimeSpan.Zero);
        var ceiling = initial.Ticks;
        // Doubling stops at max, so a long outage (attempt in the thousands) cannot overflow.
        for (var i = 1; i < attempt && ceiling < max.Ticks; i++)
        {
            ceiling = ceiling > long.MaxValue / Multiplier ? long.MaxValue : ceiling * Multiplier;
        }
        return TimeSpan.FromTicks(Math.Min(ceiling, max.Ticks));
    }
}
