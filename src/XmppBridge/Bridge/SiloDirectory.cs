using System.Collections.Concurrent;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Maps Orleans silo names to the full JIDs of their bridges, for <c>where</c> and aimed <c>drain</c>.
/// </summary>
/// <remarks>
/// <para>Learned from presence carrying a <c>&lt;silo name=".."/&gt;</c> payload: silos sharing one account see each
/// other's presence without any subscription, and silos on separate accounts once they are in each other's roster.
/// A silo not seen yet is assumed to share this silo's bare JID with its name as resource, which is the default
/// deployment (one account, resource = silo name).</para>
/// <para>Only presence from the silos' accounts (<see cref="XmppBridgeOptions.Silos"/>) counts: directed presence
/// reaches a silo from any account of the domain, which could otherwise name itself the JID of a real silo. Names and
/// addresses over <see cref="SiloPayload.MaxNameLength"/> / <see cref="SiloPayload.MaxAddressLength"/> are ignored,
/// and at most <see cref="MaxEntries"/> silos are kept, so even a compromised silo account cannot grow it without
/// bound.</para>
/// </remarks>
internal sealed class SiloDirectory(Jid ownBare, TrustedAccounts silos)
{
    /// <summary>The most silos remembered; presence naming more is ignored until some go unavailable.</summary>
    internal const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<string, Jid> _byName = new(StringComparer.Ordinal);

    /// <summary>How many silos are known, for tests.</summary>
    internal int Count => _byName.Count;

    /// <summary>Records or forgets a silo from a presence stanza.</summary>
    public void Observe(Presence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (presence.From is not { IsBare: false } from || !silos.Contains(from))
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

        if (presence.Type == PresenceType.Available && SiloPayload.TryReadIdentity(presence.Element, out var siloName, out _)
            && (_byName.Count < MaxEntries || _byName.ContainsKey(siloName)))
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
