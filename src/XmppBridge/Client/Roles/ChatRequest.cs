using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>A chat command line as a <see cref="ChatCommand"/> handler sees it.</summary>
/// <param name="From">The sender's full JID.</param>
/// <param name="Message">The message that carried it (its id is a chat write's write id).</param>
/// <param name="Arguments">The text after the command's name, trimmed.</param>
internal sealed record ChatRequest(Jid From, Message Message, string Arguments);
