using Microsoft.Extensions.Logging;

namespace Actors.Agent;

/// <summary>The agent's log events (the console steps are separate: <see cref="Supervision.StepWriter"/>).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(1, LogLevel.Warning, "A handler of the supervisor's Changed event failed.")]
    public static partial void LogChangedHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "{Process} was given up on: {Reason}")]
    public static partial void LogGivenUp(ILogger logger, string process, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Could not append to {LogPath}.")]
    public static partial void LogLogWriteFailed(ILogger logger, Exception exception, string logPath);

    [LoggerMessage(4, LogLevel.Warning, "Scanning the node directories failed; trying again in a second.")]
    public static partial void LogNodeDirectoryFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Connecting to XMPP as {Jid} failed (attempt {Attempt}: {Error}); next try in {Delay}.")]
    public static partial void LogConnectFailed(ILogger logger, string jid, int attempt, string error, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Information, "Online over XMPP as {Jid}.")]
    public static partial void LogOnline(ILogger logger, string jid);

    [LoggerMessage(7, LogLevel.Debug, "Presence published: {Show} {Status}")]
    public static partial void LogPresencePublished(ILogger logger, string show, string status);

    [LoggerMessage(8, LogLevel.Information, "Publishing presence failed; it is sent again on the next change.")]
    public static partial void LogPresenceFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "The command '{Command}' from {From} failed.")]
    public static partial void LogCommandFailed(ILogger logger, Exception exception, string command, string from);

    [LoggerMessage(10, LogLevel.Information, "Could not send a reply to {To}.")]
    public static partial void LogReplyFailed(ILogger logger, Exception exception, string to);

    [LoggerMessage(11, LogLevel.Debug, "Command from {From}: {Command}")]
    public static partial void LogCommand(ILogger logger, string from, string command);
}
