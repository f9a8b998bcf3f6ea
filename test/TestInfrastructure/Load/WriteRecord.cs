namespace Actors.TestInfrastructure.Load;

/// <summary>
/// One logical write of the load generator: a JSON Patch <c>add</c> of <see cref="Value"/> to the <c>items</c> array of
/// root <see cref="RootIndex"/>, sent with <c>Idempotency-Key</c> = <see cref="Value"/> as often as needed.
/// </summary>
/// <param name="Value">The unique value, also the write id.</param>
/// <param name="RootIndex">Which of the generator's roots it went to.</param>
/// <param name="FirstSentAt">When the first attempt was sent (scenario clock).</param>
/// <param name="Attempts">How many requests it took.</param>
/// <param name="AcknowledgedAt">When a 2xx arrived, or null if none did before the per-write deadline.</param>
/// <param name="AcknowledgedAttemptSentAt">When the acknowledged attempt was sent.</param>
/// <param name="Duplicate">The acknowledgement said <c>duplicate: true</c>: an earlier attempt had been applied.</param>
/// <param name="Rejected">A 4xx answer other than 408/429 (a bug: these writes are always valid), with its body.</param>
public sealed record WriteRecord(
    string Value,
    int RootIndex,
    TimeSpan FirstSentAt,
    int Attempts,
    TimeSpan? AcknowledgedAt,
    TimeSpan? AcknowledgedAttemptSentAt,
    bool Duplicate,
    string? Rejected)
{
    public bool Acknowledged => AcknowledgedAt is not null;
}

/// <summary>One failed request: a 5xx, a timeout or a connection error, retried with the same key.</summary>
/// <param name="At">When the failure was observed (scenario clock).</param>
/// <param name="RootIndex">The root written.</param>
/// <param name="What">Status code or exception type.</param>
public sealed record FailedAttempt(TimeSpan At, int RootIndex, string What);
