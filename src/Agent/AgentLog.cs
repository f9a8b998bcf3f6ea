using Microsoft.Extensions.Logging;

namespace Actors.Agent;

/// <summary>The agent's log events (the console steps are separate: <see cref="Supervision.StepWriter"/>).</summary>
/// <remarks>
/// Ids 5, 6 and 8 (XMPP login failed, online, presence not sent) are not reused: those events are the gateway's too and
/// are logged by <c>Actors.XmppBridge.Client.Nodes.NodePresenceClient</c>.
/// </remarks>
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

    [LoggerMessage(7, LogLevel.Debug, "Presence published: {Show} {Status}")]
    public static partial void LogPresencePublished(ILogger logger, string show, string status);

    [LoggerMessage(9, LogLevel.Warning, "The command '{Command}' from {From} failed.")]
    public static partial void LogCommandFailed(ILogger logger, Exception exception, string command, string from);

    [LoggerMessage(10, LogLevel.Information, "Could not send a reply to {To}.")]
    public static partial void LogReplyFailed(ILogger logger, Exception exception, string to);

    [LoggerMessage(11, LogLevel.Debug, "Command from {From}: {Command}")]
    public static partial void LogCommand(ILogger logger, string from, string command);
}
