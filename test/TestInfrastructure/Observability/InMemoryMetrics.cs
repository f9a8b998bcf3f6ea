using OpenTelemetry.Metrics;

namespace Actors.TestInfrastructure.Observability;

/// <summary>Reads what OpenTelemetry's in-memory exporter collected (<c>AddInMemoryExporter(List&lt;MetricSnapshot&gt;)</c>).</summary>
public static class InMemoryMetrics
{
    /// <summary>
    /// The sum of <paramref name="name"/>'s points whose tags include <paramref name="tags"/>, in the newest snapshot
    /// of <paramref name="snapshots"/> (a histogram counts its measurements); 0 when it was never exported.
    /// </summary>
    /// <remarks>Locks <paramref name="snapshots"/>, which the exporter appends to on its own thread.</remarks>
    public static double Sum(List<MetricSnapshot> snapshots, string name, params (string Key, string Value)[] tags)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        lock (snapshots)
        {
            var latest = snapshots.LastOrDefault(m => m.Name == name);
            if (latest is null)
            {
                return 0;
            }
            double sum = 0;
            foreach (var point in latest.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }
                if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v?.ToString(), t.Value)))
                {
                    sum += latest.MetricType switch
                    {
                        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                        MetricType.LongGauge => point.GetGaugeLastValueLong(),
                        MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                        MetricType.Histogram => point.GetHistogramCount(),
                        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
                        _ => throw new InvalidOperationException($"{name} is a {latest.MetricType}; add it here."),
                    };
                }
            }
            return sum;
        }
    }
}
