namespace Actors.TestInfrastructure.Load;

/// <summary>Acknowledgements counted per bucket from 2 s before the fault (<see cref="FaultAtMs"/> into the window) until recovery.</summary>
public sealed record AckTimeline(int BucketMs, double FaultAtMs, double? RecoveredAtMs, int[] Acknowledged)
{
    /// <summary>Counts <paramref name="acknowledgedAt"/> (times on the scenario's clock) in buckets from <c>faultAt - 2 s</c> to <paramref name="end"/>.</summary>
    public static AckTimeline From(IEnumerable<TimeSpan> acknowledgedAt, TimeSpan faultAt, TimeSpan? recoveredAt, TimeSpan end, int bucketMs = 100)
    {
        var start = faultAt - TimeSpan.FromSeconds(2);
        var buckets = new int[Math.Max(1, (int)Math.Ceiling((end - start).TotalMilliseconds / bucketMs))];
        foreach (var at in acknowledgedAt)
        {
            var bucket = (int)((at - start).TotalMilliseconds / bucketMs);
            if (bucket >= 0 && bucket < buckets.Length)
            {
                buckets[bucket]++;
            }
        }
        return new AckTimeline(bucketMs, (faultAt - start).TotalMilliseconds, recoveredAt is { } r ? (r - start).TotalMilliseconds : null, buckets);
    }
}
