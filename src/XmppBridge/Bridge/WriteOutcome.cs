using System.Diagnostics.CodeAnalysis;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>What became of an XMPP write: the grain's result once durable, or the stanza error to answer with.</summary>
/// <param name="Result">The result of an applied (or duplicate) write.</param>
/// <param name="Error">Why nothing was applied by this request.</param>
internal readonly record struct WriteOutcome(WriteResult? Result, StanzaError? Error)
{
    [MemberNotNullWhen(true, nameof(Result))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator WriteOutcome(StanzaError error) => new(null, error);
}
