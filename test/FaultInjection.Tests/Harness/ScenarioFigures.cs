using System.Globalization;
using System.Text.Json;

using Actors.TestInfrastructure.Load;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// The measured figures of one scenario run. Times are seconds from the fault (a kill, the start of a restart) unless
/// named otherwise; null where the figure does not apply.
/// </summary>
internal sealed class ScenarioFigures
{
    public required string Scenario { get; init; }

    /// <summary>Until Orleans' membership table showed the killed silo(s) Dead.</summary>
    public List<double> DeclaredDeadSeconds { get; } = [];

    /// <summary>Until writes to every root of the failed component (all roots for Redis and gateway) were acknowledged again.</summary>
    public List<double> WritesRecoveredSeconds { get; } = [];

    /// <summary>Component-specific durations (Redis down, gateway restart, new silo Active, …).</summary>
    public Dictionary<string, double> Other { get; } = new(StringComparer.Ordinal);

    /// <summary>Scenario-specific counts (roots on the failed Redis shard, whether a failover happened, …).</summary>
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests (not writes) that failed with a 5xx, a timeout or a connection error, from the fault to the end.</summary>
    public int FailedRequests { get; set; }

    /// <summary>The longest time without any acknowledgement, from the fault until recovery.</summary>
    public double LongestAckPauseSeconds { get; set; }

    public int WritesPerSecond { get; set; }

    public Verification? Verification { get; set; }

    /// <summary>The same checks for the XMPP load generator's writes.</summary>
    public Verification? XmppVerification { get; set; }

    /// <summary>XmppStoreWriter calls that ended without a receipt after the fault (each resent with the same write id).</summary>
    public int XmppFailedCalls { get; set; }

    public double TotalSeconds { get; set; }

    /// <summary>
    /// Acknowledged HTTP writes per <see cref="AckTimeline.BucketMs"/> around the fault, for the recovery chart of
    /// docs/reliability.md (<c>Actors.Benchmarks charts</c>).
    /// </summary>
    public AckTimeline? Timeline { get; set; }

    /// <summary>One line for the test output.</summary>
    public override string ToString()
    {
        var v = Verification;
        var x = XmppVerification;
        var other = string.Join(", ", Other.Select(o => $"{o.Key} {o.Value:0.0} s").Concat(Counts.Select(c => $"{c.Key} {c.Value}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{Scenario}] declared dead: {Join(DeclaredDeadSeconds)} s; writes recovered: {Join(WritesRecoveredSeconds)} s; " +
            $"longest ack pause {LongestAckPauseSeconds:0.0} s; failed requests {FailedRequests}; {other}; " +
            $"writes sent {v?.Sent}, acknowledged {v?.Acknowledged} ({v?.AcknowledgedAsDuplicate} as duplicate), not acknowledged {v?.NotAcknowledged} " +
            $"(applied anyway {v?.AppliedNotAcknowledged}); lost {v?.Lost.Count}, applied twice {v?.AppliedTwice.Count}, never sent {v?.NeverSent.Count}; " +
            $"{WritesPerSecond} writes/s; XMPP: acknowledged {x?.Acknowledged} ({x?.AcknowledgedAsDuplicate} as duplicate), not acknowledged {x?.NotAcknowledged}, " +
            $"lost {x?.Lost.Count}, applied twice {x?.AppliedTwice.Count}, failed calls {XmppFailedCalls}; scenario {TotalSeconds:0} s");

        static string Join(List<double> values) => values.Count == 0 ? "-" : string.Join(" / ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)));
    }

    /// <summary>A JSON line for <c>ACTORS_FAULTS_REPORT</c>, from which docs/reliability.md takes its medians.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(new
    {
        scenario = Scenario,
        at = DateTimeOffset.UtcNow,
        declaredDead = DeclaredDeadSeconds,
        writesRecovered = WritesRecoveredSeconds,
        longestAckPause = LongestAckPauseSeconds,
        failedRequests = FailedRequests,
        other = Other,
        counts = Counts,
        sent = Verification?.Sent,
        acknowledged = Verification?.Acknowledged,
        acknowledgedAsDuplicate = Verification?.AcknowledgedAsDuplicate,
        notAcknowledged = Verification?.NotAcknowledged,
        appliedNotAcknowledged = Verification?.AppliedNotAcknowledged,
        lost = Verification?.Lost.Count,
        appliedTwice = Verification?.AppliedTwice.Count,
        neverSent = Verification?.NeverSent.Count,
        writesPerSecond = WritesPerSecond,
        xmppAcknowledged = XmppVerification?.Acknowledged,
        xmppNotAcknowledged = XmppVerification?.NotAcknowledged,
        xmppLost = XmppVerification?.Lost.Count,
        xmppAppliedTwice = XmppVerification?.AppliedTwice.Count,
        xmppFailedCalls = XmppFailedCalls,
        totalSeconds = TotalSeconds,
        timeline = Timeline,
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
