using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Nodes;

/// <summary>
/// Asks the nodes named by bare JID in a trust list for their presence (RFC 6121 subscription), so a silo or agent
/// sees them without an administrator's shared roster group. A prefix cannot be subscribed to: its accounts must be
/// in the roster already. Subscriptions live in the server's roster, so once per process is enough; a request to a
/// node that is offline waits on the server until it logs in and approves (gateways and agents approve watchers).
/// </summary>
internal static class NodeSubscriptions
{
    /// <summary>Sends a subscription request to every bare JID of <paramref name="nodes"/> except <paramref name="own"/>'s account.</summary>
    public static async Task SubscribeAsync(XmppClient client, TrustedAccounts nodes, Jid own, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(own);
        foreach (var pattern in nodes.Patterns)
        {
            if (pattern.IsPrefix || pattern.Local is null)
            {
                continue;
            }

            var bare = Jid.Parse($"{pattern.Local}@{pattern.Domain}");
            if (bare == own.Bare)
            {
                continue;
            }

            try
            {
                await client.SubscribeAsync(bare, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is XmppException or ObjectDisposedException)
            {
                // Not connected now: the roster keeps whatever was sent before, and the next process start asks again.
            }
        }
    }
}
