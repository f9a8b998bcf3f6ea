using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Client;

/// <summary>Log events of the XMPP client. Method names are event names: do not rename them.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Debug, "XMPP connecting to {Host}:{Port} as {Jid}")]
    public static partial void LogConnecting(this ILogger logger, string host, int port, string jid);

    [LoggerMessage(2, LogLevel.Debug, "XMPP TLS established ({Protocol})")]
    public static partial void LogTlsEstablished(this ILogger logger, string protocol);

    [LoggerMessage(3, LogLevel.Debug, "XMPP authenticated with {Mechanism}")]
    public static partial void LogAuthenticated(this ILogger logger, string mechanism);

    [LoggerMessage(4, LogLevel.Information, "XMPP session established as {Jid} (resumed: {Resumed}, stream management: {StreamManagement})")]
    public static partial void LogSessionEstablished(this ILogger logger, string jid, bool resumed, bool streamManagement);

    [LoggerMessage(5, LogLevel.Warning, "XMPP connection lost")]
    public static partial void LogConnectionLost(this ILogger logger, Exception error);

    [LoggerMessage(6, LogLevel.Information, "XMPP reconnecting in {Delay} (attempt {Attempt}, to {Server})")]
    public static partial void LogReconnectDelay(this ILogger logger, TimeSpan delay, int attempt, string server);

    [LoggerMessage(7, LogLevel.Warning, "XMPP reconnect attempt {Attempt} to {Server} failed")]
    public static partial void LogReconnectFailed(this ILogger logger, Exception error, int attempt, string server);

    [LoggerMessage(8, LogLevel.Warning, "XMPP closing the stream with error {Condition}: {Text}")]
    public static partial void LogStreamErrorSent(this ILogger logger, string condition, string text);

    [LoggerMessage(9, LogLevel.Warning, "XMPP server closed the stream with error {Condition}: {Text}")]
    public static partial void LogStreamErrorReceived(this ILogger logger, string condition, string? text);

    [LoggerMessage(10, LogLevel.Error, "XMPP handler for {Namespace} failed")]
    public static partial void LogHandlerFailed(this ILogger logger, Exception error, string @namespace);

    [LoggerMessage(11, LogLevel.Warning, "XMPP stream resumption refused; starting a fresh session")]
    public static partial void LogResumeFailed(this ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "XMPP keep-alive ping unanswered after {Timeout}; treating the connection as dead")]
    public static partial void LogPingTimeout(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(13, LogLevel.Warning, "XMPP server acknowledged up to h={Acked}, beyond the {Outstanding} stanzas outstanding")]
    public static partial void LogAckBeyondSent(this ILogger logger, uint acked, int outstanding);

    [LoggerMessage(14, LogLevel.Trace, "XMPP received {Xml}")]
    public static partial void LogReceived(this ILogger logger, string xml);

    [LoggerMessage(15, LogLevel.Trace, "XMPP sent {Xml}")]
    public static partial void LogSent(this ILogger logger, string xml);

    [LoggerMessage(16, LogLevel.Information, "XMPP disconnected")]
    public static partial void LogDisconnected(this ILogger logger);

    [LoggerMessage(17, LogLevel.Warning, "XMPP event handler threw")]
    public static partial void LogEventHandlerFailed(this ILogger logger, Exception error);

    [LoggerMessage(18, LogLevel.Warning, "XMPP server {Server} did not take the connection; trying the next one")]
    public static partial void LogServerFailed(this ILogger logger, Exception error, string server);
}
