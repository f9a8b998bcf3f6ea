using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Reads this silo's health for presence: Orleans' silo status, the bridge's own draining flag, the health probes
/// (storage), and load statistics from the management grain.
/// </summary>
/// <remarks>
/// <see cref="Current"/> is cheap and called often; <see cref="ProbeAsync"/> and <see cref="RefreshStatisticsAsync"/>
/// do I/O and are called at bounded rates by <see cref="XmppBridgeService"/>.
/// </remarks>
internal sealed class SiloHealthMonitor(
    ISiloStatusOracle oracle,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IEnumerable<IHealthProbe> probes,
    ILogger<SiloHealthMonitor> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(5);

    private readonly HealthProbeRound _probeRound = new(probes, ProbeTimeout, logger);
    private volatile string? _degradedBy;
    private volatile bool _active;
    private volatile bool _draining;
    private volatile Statistics? _statistics;

    /// <summary>True once the silo reached the Active lifecycle stage.</summary>
    public bool Active
    {
        get => _active;
        set => _active = value;
    }

    /// <summary>True once the silo started leaving the cluster (drain or graceful stop).</summary>
    public bool Draining
    {
        get => _draining;
        set => _draining = value;
    }

    /// <summary>True when writes may be taken: active, not draining.</summary>
    public bool AcceptsWrites => _active && !_draining && oracle.CurrentStatus == SiloStatus.Active;

    /// <summary>The health now, from the last probe and statistics readings.</summary>
    public SiloHealth Current()
    {
        var status = oracle.CurrentStatus;
        var clusterSize = Math.Max(1, oracle.GetApproximateSiloStatuses(onlyActive: true).Count);
        var stats = _statistics;
        var (show, word) = status switch
        {
            _ when _draining || status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead => (PresenceShow.Away, "Draining"),
            _ when !_active || status != SiloStatus.Active => (PresenceShow.Away, "Joining"),
            _ when _degradedBy is { } failed => (PresenceShow.Dnd, $"Degraded ({failed} unreachable)"),
            _ when stats?.Overloaded == true => (PresenceShow.Dnd, "Degraded (overloaded)"),
            _ => (PresenceShow.None, "Active"),
        };
        return new SiloHealth(show, word, status.ToString(), stats?.Activations, stats?.CpuPercent, stats?.MemoryMb, clusterSize);
    }

    /// <summary>True while the last probe round failed.</summary>
    public bool Degraded => _degradedBy is not null;

    /// <summary>Runs every probe (<see cref="HealthProbeRound"/>); a failure marks the silo degraded until a later round succeeds.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken) =>
        _degradedBy = await _probeRound.RunAsync(_degradedBy is not null, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads activations, CPU and memory of this silo from the management grain (only while Active).</summary>
    public async Task RefreshStatisticsAsync(CancellationToken cancellationToken)
    {
        if (oracle.CurrentStatus != SiloStatus.Active)
        {
            return;
        }

        try
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            var all = await management.GetRuntimeStatistics([silo.SiloAddress]).WaitAsync(StatisticsTimeout, cancellationToken).ConfigureAwait(false);
            if (all is [var own, ..])
            {
                _statistics = new Statistics(
                    own.ActivationCount,
                    (int)Math.Round(own.EnvironmentStatistics.FilteredCpuUsagePercentage),
                    own.EnvironmentStatistics.FilteredMemoryUsageBytes / (1024 * 1024),
                    own.IsOverloaded);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            BridgeLog.LogStatisticsFailed(logger, ex);
        }
    }

    private sealed record Statistics(int Activations, int CpuPercent, long MemoryMb, bool Overloaded);
}
