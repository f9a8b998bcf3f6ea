using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client;

/// <summary>One roster entry (RFC 6121 §2.1.2).</summary>
/// <param name="Jid">The contact's bare JID.</param>
/// <param name="Name">The user-assigned name, if any.</param>
/// <param name="Subscription"><c>none</c>, <c>to</c>, <c>from</c> or <c>both</c>.</param>
/// <param name="PendingOut">True when our subscription request awaits the contact's approval (<c>ask="subscribe"</c>).</param>
/// <param name="Groups">The groups the entry is in.</param>
public sealed record RosterItem(Jid Jid, string? Name, string Subscription, bool PendingOut, IReadOnlyList<string> Groups);
