using System.Globalization;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Store;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// The error table of docs/xmpp-bridge.md: each store error becomes an RFC 6120 stanza error with its type, the application
/// condition in <c>urn:actors:1</c> where there is one, and always a <c>&lt;text/&gt;</c> saying what to fix.
/// </summary>
internal static class BridgeErrors
{
    /// <summary>
    /// The XMPP half of the one error vocabulary: the stanza error type, condition and application condition of
    /// every <see cref="ActorsErrorKind"/> (docs/xmpp-bridge.md, Errors; the HTTP half is the gateway's ProblemTypes).
    /// Null only for a kind this silo does not know, which a unit test rules out for every declared kind.
    /// </summary>
    public static (StanzaErrorType Type, string Condition, string? Application)? ConditionFor(ActorsErrorKind kind) => kind switch
    {
        ActorsErrorKind.InvalidRootId or ActorsErrorKind.InvalidJson or ActorsErrorKind.InvalidPointer or ActorsErrorKind.InvalidPatch
            or ActorsErrorKind.InvalidWriteId or ActorsErrorKind.NotAnObject or ActorsErrorKind.TooDeep or ActorsErrorKind.InvalidCommand
            => (StanzaErrorType.Modify, "bad-request", null),
        ActorsErrorKind.PatchFailed => (StanzaErrorType.Modify, "bad-request", "patch-failed"),
        ActorsErrorKind.VersionConflict => (StanzaErrorType.Cancel, "conflict", "version-mismatch"),
        ActorsErrorKind.WriteIdReused => (StanzaErrorType.Cancel, "conflict", "write-id-reused"),
        ActorsErrorKind.RootNotFound or ActorsErrorKind.PointerNotFound => (StanzaErrorType.Cancel, "item-not-found", null),
        ActorsErrorKind.TooLarge => (StanzaErrorType.Modify, "not-acceptable", null),
        ActorsErrorKind.Unavailable => (StanzaErrorType.Wait, "service-unavailable", null),
        ActorsErrorKind.InvalidQuery or ActorsErrorKind.InvalidIndex => (StanzaErrorType.Modify, "bad-request", null),
        ActorsErrorKind.UnknownIndex => (StanzaErrorType.Modify, "bad-request", "unknown-index"),
        ActorsErrorKind.IndexBuilding => (StanzaErrorType.Wait, "resource-constraint", "index-building"),
        ActorsErrorKind.IndexConflict => (StanzaErrorType.Cancel, "conflict", null),
        ActorsErrorKind.IndexNotFound => (StanzaErrorType.Cancel, "item-not-found", null),
        ActorsErrorKind.QueriesNotSupported => (StanzaErrorType.Cancel, "feature-not-implemented", null),
        _ => null,
    };

    /// <summary>Maps a refused grain call (or a payload the codec refused).</summary>
    public static StanzaError From(ActorsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (ConditionFor(error.Kind) is not var (type, condition, application))
        {
            // A kind newer than this bridge: the fault is ours, not the sender's, and the text still says what happened.
            return new StanzaError(StanzaErrorType.Cancel, "internal-server-error", error.Message);
        }

        XElement? app = application is null ? null : new XElement(ActorsXml.Ns + application);
        if (error.Kind == ActorsErrorKind.VersionConflict)
        {
            app!.Add(new XAttribute("current", (error.CurrentVersion ?? 0).ToString(CultureInfo.InvariantCulture)));
        }
        else if (error.Kind == ActorsErrorKind.IndexBuilding)
        {
            app!.Add(new XAttribute("progress", (error.Progress ?? 0).ToString("0.###", CultureInfo.InvariantCulture)));
        }

        return new StanzaError(type, condition, error.Message, app);
    }

    /// <summary>
    /// A grain call that threw. The classification is the gateway's too (<see cref="TransientFailures"/>): a
    /// transient cluster failure is <c>wait</c>, anything else a failure of ours; either way nothing is known to be
    /// applied, and resending with the same id is safe.
    /// </summary>
    public static StanzaError FromException(Exception exception, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return TransientFailures.IsTransient(exception)
            ? Unavailable($"The cluster did not complete the {what}: {TransientFailures.Describe(exception)}")
            : new StanzaError(StanzaErrorType.Wait, "internal-server-error",
                $"The {what} failed inside the cluster ({exception.GetType().Name}); it has been logged. Retrying with the same id is safe.");
    }

    public static StanzaError BadRequest(string text) => new(StanzaErrorType.Modify, "bad-request", text);

    public static StanzaError Forbidden(Jid sender, string what, string role) =>
        new(StanzaErrorType.Auth, "forbidden", $"{sender.Bare} may not {what}: that needs the {role} role (Actors:Xmpp:{Capitalize(role)}s). Nothing was changed.");

    public static StanzaError TooLarge(long bytes, int limit) =>
        new(StanzaErrorType.Modify, "not-acceptable", $"The write's JSON is {bytes:N0} bytes; XMPP writes are limited to {limit:N0} bytes. Send larger documents over HTTP, or split them into several roots.");

    public static StanzaError TooLargeForXmpp(string root, long bytes) =>
        new(StanzaErrorType.Modify, "not-acceptable", $"The document of {root} is {bytes:N0} bytes, too large for one XMPP stanza. Read it over HTTP (GET /v1/roots/{root}), or read a part of it with a pointer.");

    public static StanzaError Stale(TimeSpan age, TimeSpan limit) =>
        new(StanzaErrorType.Modify, "not-acceptable",
            $"The write was delayed {age.TotalSeconds:N0} s (stored offline?), longer than the {limit.TotalSeconds:N0} s allowed, so it was not applied. Read the root and send a fresh write if it is still wanted.",
            new XElement(ActorsXml.Ns + "stale-write"));

    public static StanzaError ShareUsedUp(Jid sender, int stanzas, long bytes) =>
        new(StanzaErrorType.Wait, "resource-constraint",
            $"{sender.Bare} already has {stanzas:N0} stanzas (or {bytes / (1024 * 1024):N0} MiB) waiting on this silo, its share (Actors:Xmpp:MaxPendingPerSender, MaxPendingBytesPerSender); wait for answers, then send again with the same ids. Nothing was applied.");

    public static StanzaError Unavailable(string why) =>
        new(StanzaErrorType.Wait, "service-unavailable", $"{why} Nothing was changed; retry with the same id, here later or at another silo.");

    private static string Capitalize(string role) => char.ToUpperInvariant(role[0]) + role[1..];
}
