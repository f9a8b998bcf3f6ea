namespace Actors.XmppBridge.Client;

/// <summary>Describes a change of <see cref="XmppClient.State"/>.</summary>
public sealed class XmppConnectionStateChangedEventArgs(XmppConnectionState state, bool resumed, Exception? error) : EventArgs
{
    /// <summary>The new state.</summary>
    public XmppConnectionState State { get; } = state;

    /// <summary>For <see cref="XmppConnectionState.Connected"/>: true when the XEP-0198 session was resumed (presence and roster state survived).</summary>
    public bool Resumed { get; } = resumed;

    /// <summary>The failure that caused the change, if any.</summary>
    public Exception? Error { get; } = error;
}
