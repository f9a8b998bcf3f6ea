using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.Agent.Xmpp;

/// <summary>What the agent's presence says: show, the human status line and the <c>&lt;agent/&gt;</c> payload.</summary>
internal sealed record AgentHealth(PresenceShow Show, string Status, AgentPayload Payload);
