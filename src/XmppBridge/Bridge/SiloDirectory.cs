using System.Collections.Concurrent;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Maps Orleans silo names to the full JIDs of their bridges, for <c>where</c>.
/// </summary>
/// <remarks>
/// Learned from presence carrying a <c>&lt;silo name=".."/&gt;</c> payload: silos sharing one account see each
/// other's presence without any subscription, and silos on separate accounts once they are in each other's roster.
/// A silo not seen yet is assumed to share this silo's bare JID with its name as resource, which is the default
/// deployment (one account, resource = silo name).
/// </remarks>
internal sealed class SiloDirectory(Jid ownBare)
{
    private readonly ConcurrentDictionary<string, Jid> _byName = new(StringComparer.Ordinal);

    /// <summary>Records or forgets a silo from a presence stanza.</summary>
    public void Observe(Presence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (presence.From is not { IsBare: false } from)
        {
            return;
        }

        if (presence.Type == PresenceType.Unavailable)
        {
            foreach (var (name, jid) in _byName)
            {
                if (jid == from)
                {
                    _byName.TryRemove(new KeyValuePair<string, Jid>(name, jid));
                }
            }

            return;
        }

        if (presence.Type == PresenceType.Available && (string?)presence.Element.Element(ActorsXml.Silo)?.Attribute("name") is { Length: > 0 } siloName)
        {
            _byName[siloName] = from;
        }
    }

    /// <summary>Records this silo's own bound JID, which may carry a configured resource other than its name.</summary>
    public void Register(string siloName, Jid jid) => _byName[siloName] = jid;

    /// <summary>The full JID of the silo named <paramref name="siloName"/>.</summary>
    public Jid Resolve(string siloName) =>
        _byName.TryGetValue(siloName, out var jid) ? jid : ownBare.WithResource(siloName);
}
