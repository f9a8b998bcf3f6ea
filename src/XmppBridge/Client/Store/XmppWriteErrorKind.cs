namespace Actors.XmppBridge.Client.Store;

/// <summary>Why an <see cref="XmppStoreWriter"/> write did not succeed.</summary>
public enum XmppWriteErrorKind
{
    /// <summary>A silo refused the write with a stanza error (bad request, conflict, forbidden, …); retrying as-is will not help.</summary>
    Refused,

    /// <summary>No silo was available in presence within <see cref="XmppStoreWriterOptions.SiloWaitTimeout"/>.</summary>
    NoSiloAvailable,

    /// <summary>Every attempt timed out or was answered with a temporary (<c>wait</c>) error. The write may or may not be applied; resend it with the same write id.</summary>
    NotConfirmed,
}
