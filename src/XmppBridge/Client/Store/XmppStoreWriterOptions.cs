namespace Actors.XmppBridge.Client.Store;

/// <summary>Timeouts and retry bounds of an <see cref="XmppStoreWriter"/>.</summary>
public sealed class XmppStoreWriterOptions
{
    /// <summary>
    /// The bare JIDs of the cluster's silos (e.g. <c>silo-1@example.org</c>, or one <c>silo@example.org</c> shared by
    /// all), or a prefix of them (<c>silo-*@example.org</c>), as in the silos' own <c>Actors:Xmpp:Silos</c>; a whole
    /// domain (<c>*@example.org</c>) is refused. Required: only their <c>&lt;silo/&gt;</c> presence makes a write target, and only the JID an attempt was
    /// sent to can confirm it — any other account of the domain could otherwise pose as a silo and swallow writes.
    /// </summary>
    public IList<string> Silos { get; } = [];

    /// <summary>How long one attempt waits for the silo's receipt before the same write is sent to another silo.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per write, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Pause before the next attempt after a silo answered with a temporary (<c>wait</c>) error, doubled per attempt:
    /// while the cluster is still declaring a dead silo dead, every silo may answer <c>wait</c> for a few seconds.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a write waits for any silo to be available before giving up.</summary>
    public TimeSpan SiloWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
