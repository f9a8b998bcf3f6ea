namespace Actors.XmppBridge.Bridge.Writer;

/// <summary>Timeouts and retry bounds of an <see cref="XmppStoreWriter"/>.</summary>
public sealed class XmppStoreWriterOptions
{
    /// <summary>How long one attempt waits for the silo's receipt before the same write is sent to another silo.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per write, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long a write waits for any silo to be available before giving up.</summary>
    public TimeSpan SiloWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
