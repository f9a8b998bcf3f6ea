using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>An ad-hoc command turned into the chat command line its host runs, as if typed by the requester.</summary>
/// <param name="From">The requester's full JID.</param>
/// <param name="To">The address the request was sent to (this node's full JID), null when the server left it out.</param>
/// <param name="Id">The request's IQ id.</param>
/// <param name="CommandLine">The command and its arguments, e.g. <c>grow silos 2</c>.</param>
internal sealed record AdHocRun(Jid From, Jid? To, string? Id, string CommandLine)
{
    /// <summary>The same command as the chat message a person would have sent, for a host's chat executor.</summary>
    public Message ToMessage() => new(To ?? From, CommandLine) { From = From, Id = Id };
}
