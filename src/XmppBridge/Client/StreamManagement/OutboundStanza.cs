namespace Actors.XmppBridge.Client.StreamManagement;

/// <summary>A stanza sent (or queued) and not yet acknowledged, kept in wire form for resending.</summary>
internal readonly record struct OutboundStanza(string Xml, bool IsMessage);
