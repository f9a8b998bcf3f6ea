using System.Globalization;

namespace Actors.XmppBenchmarks;

/// <summary>One configuration measured once: round trips completed in the measured window and their latencies.</summary>
internal sealed record Measurement(string Name, int Pairs, long RoundTrips, TimeSpan Window, double P50Ms, double P99Ms, double ServerCores, double ClientCores)
{
    public double RoundTripsPerSecond => RoundTrips / Window.TotalSeconds;

    /// <summary>Bytes allocated in this process per round trip (both clients of a pair and the harness); ours only.</summary>
    public long AllocatedBytesPerRoundTrip { get; init; }

    /// <summary>Messages sent that were never answered, counted a few seconds after the last one was sent.</summary>
    public long Unanswered { get; init; }

    /// <summary>Busy CPU of the machine during the window not spent by the server or the clients (someone else's load).</summary>
    public double OtherCores { get; init; }

    /// <summary>The server's CPU per round trip, in microseconds.</summary>
    public double ServerMicrosPerRoundTrip => RoundTrips == 0 ? double.NaN : ServerCores * 1e6 / RoundTripsPerSecond;

    public static Measurement FromLatencies(string name, int pairs, List<double> latenciesMs, TimeSpan window, double serverCores, double clientCores)
    {
        latenciesMs.Sort();
        return new Measurement(name, pairs, latenciesMs.Count, window, Percentile(latenciesMs, 0.50), Percentile(latenciesMs, 0.99), serverCores, clientCores);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name,-22} pairs={Pairs} {RoundTripsPerSecond,8:F0} rt/s  p50={P50Ms,6:F2} ms  p99={P99Ms,6:F2} ms  server={ServerCores:F2} cores ({ServerMicrosPerRoundTrip:F0} µs/rt)  clients={ClientCores:F2} cores  alloc={AllocatedBytesPerRoundTrip / 1024.0:F1} KiB/rt  other={OtherCores:F2} cores  unanswered={Unanswered}");

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
}
