using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Store;

/// <summary>A failed write as the writer saw it.</summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Message">A sentence for a person: the silo's <c>&lt;text/&gt;</c>, or what the writer observed.</param>
/// <param name="StanzaError">The silo's stanza error, for <see cref="XmppWriteErrorKind.Refused"/> (and the last <c>wait</c> error, if any).</param>
/// <param name="ApplicationCondition">The <c>urn:actors:1</c> condition, e.g. <c>version-mismatch</c>, <c>patch-failed</c>, <c>write-id-reused</c>, <c>stale-write</c>.</param>
/// <param name="CurrentVersion">For <c>version-mismatch</c>: the root's current version.</param>
public sealed record XmppWriteError(
    XmppWriteErrorKind Kind,
    string Message,
    StanzaError? StanzaError = null,
    string? ApplicationCondition = null,
    long? CurrentVersion = null)
{
    /// <summary>The RFC 6120 condition, e.g. <c>bad-request</c>, <c>conflict</c>, <c>forbidden</c>; null when no silo answered.</summary>
    public string? Condition => StanzaError?.Condition;
}
