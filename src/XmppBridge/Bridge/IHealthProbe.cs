namespace Actors.XmppBridge.Bridge;

/// <summary>
/// A dependency check the bridge runs periodically; a probe that fails twice in a row (<see cref="HealthProbeRound"/>)
/// turns presence <c>dnd</c> (degraded). The silo registers one for grain storage.
/// </summary>
internal interface IHealthProbe
{
    /// <summary>What is probed, for the status line, e.g. <c>storage</c>.</summary>
    string Name { get; }

    /// <summary>Completes when the dependency answered; throws (or is cancelled) when it did not.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
