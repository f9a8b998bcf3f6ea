using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// One round of the bridge's health probes: each probe gets <see cref="Timeout"/> to answer, and one that misses is asked
/// once more at once; only a second miss in a row names it as failed (presence <c>dnd</c>).
/// </summary>
/// <remarks>
/// Why a second try: on a loaded machine a single storage read missed its 3 s (seen in CI, a silo in a full test run),
/// and the silo showed <c>dnd</c> until the next probe a second later, which sends writers to other silos for nothing.
/// The price is one more timeout when storage is really gone: StackExchange.Redis holds commands while it reconnects,
/// so each try waits out its 3 s, and a stopped Redis shows as <c>dnd</c> 7.0 s after the stop instead of 4.0 s
/// (<c>BridgeStorageOutageTests</c>, probe interval 5 s). Writes do not wait for presence: they fail with
/// <c>wait</c> on their own, and their senders retry.
/// </remarks>
internal sealed class HealthProbeRound(IEnumerable<IHealthProbe> probes, TimeSpan timeout, ILogger logger)
{
    private readonly IHealthProbe[] _probes = [.. probes];

    /// <summary>How long each attempt of a probe may take.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Runs every probe; the name of the first that failed both tries, or null when all answered.</summary>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        string? failed = null;
        foreach (var probe in _probes)
        {
            if (!await TryAsync(probe, lastTry: false, cancellationToken).ConfigureAwait(false)
                && !await TryAsync(probe, lastTry: true, cancellationToken).ConfigureAwait(false))
            {
                failed ??= probe.Name;
            }
        }

        return failed;
    }

    private async Task<bool> TryAsync(IHealthProbe probe, bool lastTry, CancellationToken cancellationToken)
    {
        try
        {
            await probe.ProbeAsync(cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (lastTry)
            {
                BridgeLog.LogProbeFailed(logger, ex, probe.Name);
            }
            else
            {
                // One line without the stack: a miss is expected now and then, and the second try decides.
                BridgeLog.LogProbeMissed(logger, probe.Name, ex is TimeoutException ? $"no answer within {Timeout.TotalSeconds:0.#} s" : ex.Message);
            }

            return false;
        }
    }
}
