using System.Diagnostics.CodeAnalysis;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Store;

/// <summary>The outcome of <see cref="XmppStoreWriter.WriteAsync"/>: the applied write, or a typed error.</summary>
/// <param name="Root">The root written.</param>
/// <param name="WriteId">The XEP-0359 origin-id sent with every attempt (the write id is the writer's bare JID + "/" + it).</param>
/// <param name="Version">The root's version after the write; 0 on error.</param>
/// <param name="Duplicate">True when a silo had already applied this write id: nothing changed by this call.</param>
/// <param name="Retries">Attempts after the first (0 when the first silo answered).</param>
/// <param name="Silo">The silo that confirmed (or refused) the write; null when none answered.</param>
/// <param name="Error">Null on success.</param>
public sealed record XmppWriteResult(
    string Root,
    string WriteId,
    long Version,
    bool Duplicate,
    int Retries,
    Jid? Silo,
    XmppWriteError? Error = null)
{
    /// <summary>True when the write is durable in the store (applied by this call or before).</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;
}
