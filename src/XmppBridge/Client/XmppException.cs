namespace Actors.XmppBridge.Client;

/// <summary>Base of every failure the XMPP client reports.</summary>
public class XmppException : Exception
{
    /// <summary>Creates the exception.</summary>
    public XmppException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public XmppException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
