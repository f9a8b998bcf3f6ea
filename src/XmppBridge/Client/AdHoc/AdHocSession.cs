using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>An open XEP-0050 command session: a form was sent, its answer is awaited.</summary>
/// <param name="Id">The <c>sessionid</c>.</param>
/// <param name="Node">The command's node; later stages must name the same one.</param>
/// <param name="Requester">The full JID that started it; only it may continue it (XEP-0050 §4.3).</param>
/// <param name="Fields">The form as it was sent, so the answer is checked against the choices that were offered.</param>
internal sealed record AdHocSession(string Id, string Node, Jid Requester, IReadOnlyList<FormField> Fields)
{
    /// <summary>When it expires unless used again.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
