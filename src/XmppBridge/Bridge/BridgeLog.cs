using Actors.Contracts.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>Log events of the XMPP bridge. Method names are event names: do not rename them.</summary>
internal static partial class BridgeLog
{
    [LoggerMessage(101, LogLevel.Information, "XMPP bridge off: Actors:Xmpp:Jid is not configured, so this silo has no Jabber presence and takes no XMPP writes.")]
    public static partial void LogBridgeDisabled(ILogger logger);

    [LoggerMessage(102, LogLevel.Information, "XMPP bridge starting for silo {Silo}: {Options}")]
    public static partial void LogBridgeStarting(ILogger logger, string silo, FormattedOptions<XmppBridgeOptions> options);

    [LoggerMessage(103, LogLevel.Information, "XMPP bridge online as {Jid}")]
    public static partial void LogBridgeOnline(ILogger logger, string jid);

    [LoggerMessage(104, LogLevel.Warning, "XMPP bridge could not connect (attempt {Attempt}); retrying in {Delay}")]
    public static partial void LogConnectFailed(ILogger logger, Exception exception, int attempt, TimeSpan delay);

    [LoggerMessage(105, LogLevel.Information, "XMPP presence: {Show} '{Status}'")]
    public static partial void LogPresencePublished(ILogger logger, string show, string status);

    [LoggerMessage(106, LogLevel.Warning, "XMPP presence could not be published")]
    public static partial void LogPresenceFailed(ILogger logger, Exception exception);

    [LoggerMessage(107, LogLevel.Warning, "Health probe {Probe} failed twice in a row; presence goes dnd")]
    public static partial void LogProbeFailed(ILogger logger, Exception exception, string probe);

    [LoggerMessage(123, LogLevel.Information, "Health probe {Probe} missed once ({Reason}); asking again before showing dnd")]
    public static partial void LogProbeMissed(ILogger logger, string probe, string reason);

    [LoggerMessage(124, LogLevel.Debug, "Health probe {Probe} still fails ({Reason}); presence stays dnd")]
    public static partial void LogProbeStillFailing(ILogger logger, string probe, string reason);

    [LoggerMessage(108, LogLevel.Debug, "Silo statistics could not be read")]
    public static partial void LogStatisticsFailed(ILogger logger, Exception exception);

    [LoggerMessage(109, LogLevel.Warning, "XMPP write to {Root} from {Sender} failed in the cluster; answered service-unavailable")]
    public static partial void LogWriteFailed(ILogger logger, Exception exception, string root, string sender);

    [LoggerMessage(110, LogLevel.Warning, "XMPP request from {Sender} failed")]
    public static partial void LogRequestFailed(ILogger logger, Exception exception, string sender);

    [LoggerMessage(111, LogLevel.Warning, "XMPP work queue full; refused a stanza from {Sender}")]
    public static partial void LogOverloaded(ILogger logger, string sender);

    [LoggerMessage(112, LogLevel.Information, "Subscription request from {Sender}: {Decision}")]
    public static partial void LogSubscription(ILogger logger, string sender, string decision);

    [LoggerMessage(113, LogLevel.Warning, "Drain requested over XMPP by {Sender}: this silo leaves the cluster")]
    public static partial void LogDrainRequested(ILogger logger, string sender);

    [LoggerMessage(125, LogLevel.Warning, "Drain: the host had not finished starting after {Waited}; stopping it anyway")]
    public static partial void LogDrainWaitedForStart(ILogger logger, TimeSpan waited);

    [LoggerMessage(114, LogLevel.Information, "XMPP bridge stopped (unavailable sent)")]
    public static partial void LogBridgeStopped(ILogger logger);

    [LoggerMessage(115, LogLevel.Warning, "XMPP reply to {Sender} could not be sent")]
    public static partial void LogReplyFailed(ILogger logger, Exception exception, string sender);

    [LoggerMessage(116, LogLevel.Debug, "Presence not reported to the cluster registry (the next report retries)")]
    public static partial void LogRegistryReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(117, LogLevel.Warning, "Crash hint: peer silo {Silo} went unavailable in XMPP and its silo port refused the connection twice; asked Orleans to declare {Address} dead: {Applied}")]
    public static partial void LogPeerHintKill(ILogger logger, string silo, string address, bool applied);

    [LoggerMessage(118, LogLevel.Information, "Crash hint: peer silo {Silo} went unavailable in XMPP; probe of {Endpoint}: {Outcome}, so Orleans' own failure detection decides")]
    public static partial void LogPeerHintNoProof(ILogger logger, string silo, string endpoint, string outcome);

    [LoggerMessage(119, LogLevel.Warning, "Crash hint for peer silo {Silo} failed")]
    public static partial void LogPeerHintFailed(ILogger logger, Exception exception, string silo);

    [LoggerMessage(120, LogLevel.Information, "Stale presence: said unavailable for dead silo {Jid} to {Count} contacts through the XMPP admin API")]
    public static partial void LogStalePresenceRepaired(ILogger logger, string jid, int count);

    [LoggerMessage(121, LogLevel.Warning, "Stale presence: could not say unavailable for dead silo {Jid} through the XMPP admin API")]
    public static partial void LogStalePresenceRepairFailed(ILogger logger, Exception exception, string jid);

    [LoggerMessage(122, LogLevel.Debug, "Membership could not be re-read before answering a drain by name; answering from this silo's view")]
    public static partial void LogMembershipRefreshFailed(ILogger logger, Exception exception);
}
