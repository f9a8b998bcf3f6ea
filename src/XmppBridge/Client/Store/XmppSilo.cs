using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Store;

/// <summary>A silo seen available in presence, with what its <c>&lt;silo xmlns="urn:actors:1"/&gt;</c> payload said.</summary>
/// <param name="Jid">The silo's full JID, where writes go.</param>
/// <param name="Name">The silo's Orleans name.</param>
/// <param name="Status">The silo's Orleans status, e.g. <c>Active</c>.</param>
/// <param name="Address">The silo's Orleans address.</param>
public sealed record XmppSilo(Jid Jid, string Name, string Status, string? Address);
