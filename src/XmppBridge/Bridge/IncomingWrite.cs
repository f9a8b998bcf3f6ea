using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Bridge;

/// <summary>A write as it arrived, by message, IQ or chat, before any check (see <see cref="WritePipeline"/>).</summary>
/// <param name="From">The sender's full JID.</param>
/// <param name="ClientId">
/// The sender's id for the write: the XEP-0359 origin-id or message id of a message, the id of an IQ or of a chat
/// message. Scoped to the sender's bare JID it becomes the write id, so a resend (to any silo) is applied once.
/// </param>
/// <param name="Stanza">The whole stanza, for its XEP-0203 <c>&lt;delay/&gt;</c> stamps.</param>
/// <param name="Parse">Reads the payload; called only once the sender is known to be a writer.</param>
internal sealed record IncomingWrite(Jid From, string? ClientId, XElement Stanza, Func<PayloadResult> Parse);

/// <summary>A payload read from a stanza or a chat line, or why it could not be read.</summary>
/// <param name="Payload">The write, when it could be read.</param>
/// <param name="Error">Why not, otherwise.</param>
internal readonly record struct PayloadResult(WritePayload? Payload, ActorsError? Error)
{
    public static implicit operator PayloadResult(WritePayload payload) => new(payload, null);

    public static implicit operator PayloadResult(ActorsError error) => new(null, error);
}
