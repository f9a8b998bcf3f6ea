using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// One round of the bridge's health probes: each probe gets <see cref="Timeout"/> to answer, and one that misses is asked
/// once more at once; only a second miss in a row names it as failed (presence <c>dnd</c>). While the silo is already
/// degraded, one try decides and a miss is logged at Debug only.
/// </summary>
/// <remarks>
/// Why a second try: on a loaded machine a single storage read can miss its 3 s, and the silo would show <c>dnd</c>
/// until the next probe a second later, which sends writers to other silos for nothing. A Redis that is down costs no
/// waiting: the storage probe fails at once while no Redis server is connected (1.0 s to <c>dnd</c> in
/// <c>BridgeStorageOutageTests</c>). Why one quiet try while degraded: presence already says <c>dnd</c>, the warning
/// with its exception was logged when it turned so, and during an outage the silo probes every second; one answer is
/// enough to show available again. Writes do not wait for presence: they fail with <c>wait</c> on their own, and their
/// senders retry.
/// </remarks>
internal sealed class HealthProbeRound(IEnumerable<IHealthProbe> probes, TimeSpan timeout, ILogger logger)
{
    private readonly IHealthProbe[] _probes = [.. probes];

    /// <summary>How long each attempt of a probe may take.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>
    /// Runs every probe; the name of the first that failed, or null when all answered. <paramref name="degraded"/>: the
    /// last round failed, so presence is <c>dnd</c> already.
    /// </summary>
    public async Task<string?> RunAsync(bool degraded, CancellationToken cancellationToken)
    {
        string? failed = null;
        foreach (var probe in _probes)
        {
            var answered = degraded
                ? await TryAsync(probe, Attempt.WhileDegraded, cancellationToken).ConfigureAwait(false)
                : await TryAsync(probe, Attempt.First, cancellationToken).ConfigureAwait(false)
                    || await TryAsync(probe, Attempt.Second, cancellationToken).ConfigureAwait(false);
            if (!answered)
            {
                failed ??= probe.Name;
            }
        }

        return failed;
    }

    private async Task<bool> TryAsync(IHealthProbe probe, Attempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            await probe.ProbeAsync(cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is TimeoutException ? $"no answer within {Timeout.TotalSeconds:0.#} s" : ex.Message;
            switch (attempt)
            {
                case Attempt.First:
                    // One line without the stack: a miss is expected now and then, and the second try decides.
                    BridgeLog.LogProbeMissed(logger, probe.Name, reason);
                    break;
                case Attempt.Second:
                    BridgeLog.LogProbeFailed(logger, ex, probe.Name);
                    break;
                default:
                    BridgeLog.LogProbeStillFailing(logger, probe.Name, reason);
                    break;
            }

            return false;
        }
    }

    private enum Attempt
    {
        First,
        Second,
        WhileDegraded,
    }
}
