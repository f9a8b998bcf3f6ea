namespace Actors.XmppBridge.Bridge;

/// <summary>Saying <c>unavailable</c> for silos Orleans declared dead, where the XMPP server would not (<see cref="StalePresenceRepair"/>).</summary>
internal sealed partial class XmppBridgeService
{
    /// <summary>
    /// Follows Orleans membership; each silo that turns Dead while this one runs gets its <c>unavailable</c> said once by
    /// every surviving bridge (a repeated <c>unavailable</c> is harmless, and no election can fail with the silo that
    /// would have been chosen). Silos already dead when this bridge started are left alone: they were handled then.
    /// </summary>
    private async Task RepairStalePresenceAsync(StalePresenceRepair repair, CancellationToken cancellationToken)
    {
        HashSet<SiloAddress>? known = null;
        var handled = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var dead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && !m.SiloAddress.Equals(_silo.SiloAddress)).ToList();
                if (known is null)
                {
                    known = [.. dead.Select(m => m.SiloAddress)];
                    continue;
                }

                foreach (var member in dead.Where(m => !known.Contains(m.SiloAddress) && handled.Add(m.SiloAddress)))
                {
                    var jid = _directory.Resolve(member.Name);
                    try
                    {
                        await repair.RepairAsync(jid, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
                    {
                        BridgeLog.LogStalePresenceRepairFailed(_logger, ex, jid.ToString());
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
