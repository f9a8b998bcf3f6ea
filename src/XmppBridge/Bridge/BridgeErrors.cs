using System.Globalization;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Store;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// The error table of DESIGN.md §5: each store error becomes an RFC 6120 stanza error with its type, the application
/// condition in <c>urn:actors:1</c> where there is one, and always a <c>&lt;text/&gt;</c> saying what to fix.
/// </summary>
internal static class BridgeErrors
{
    /// <summary>Maps a refused grain call.</summary>
    public static StanzaError From(ActorsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            ActorsErrorKind.PatchFailed => new StanzaError(StanzaErrorType.Modify, "bad-request", error.Message, new XElement(ActorsXml.Ns + "patch-failed")),
            ActorsErrorKind.VersionConflict => new StanzaError(StanzaErrorType.Cancel, "conflict", error.Message,
                new XElement(ActorsXml.Ns + "version-mismatch", new XAttribute("current", (error.CurrentVersion ?? 0).ToString(CultureInfo.InvariantCulture)))),
            ActorsErrorKind.WriteIdReused => new StanzaError(StanzaErrorType.Cancel, "conflict", error.Message, new XElement(ActorsXml.Ns + "write-id-reused")),
            ActorsErrorKind.RootNotFound or ActorsErrorKind.PointerNotFound => new StanzaError(StanzaErrorType.Cancel, "item-not-found", error.Message),
            ActorsErrorKind.TooLarge => new StanzaError(StanzaErrorType.Modify, "not-acceptable", error.Message),
            ActorsErrorKind.Unavailable => new StanzaError(StanzaErrorType.Wait, "service-unavailable", error.Message),
            _ => new StanzaError(StanzaErrorType.Modify, "bad-request", error.Message),
        };
    }

    public static StanzaError BadRequest(string text) => new(StanzaErrorType.Modify, "bad-request", text);

    public static StanzaError Forbidden(Jid sender, string what, string role) =>
        new(StanzaErrorType.Auth, "forbidden", $"{sender.Bare} may not {what}: that needs the {role} role (Actors:Xmpp:{Capitalize(role)}s). Nothing was changed.");

    public static StanzaError TooLarge(long bytes, int limit) =>
        new(StanzaErrorType.Modify, "not-acceptable", $"The write's JSON is {bytes:N0} bytes; XMPP writes are limited to {limit:N0} bytes. Send larger documents over HTTP, or split them into several roots.");

    public static StanzaError Stale(TimeSpan age, TimeSpan limit) =>
        new(StanzaErrorType.Modify, "not-acceptable",
            $"The write was delayed {age.TotalSeconds:N0} s (stored offline?), longer than the {limit.TotalSeconds:N0} s allowed, so it was not applied. Read the root and send a fresh write if it is still wanted.",
            new XElement(ActorsXml.Ns + "stale-write"));

    public static StanzaError Unavailable(string why) =>
        new(StanzaErrorType.Wait, "service-unavailable", $"{why} Nothing was changed; retry with the same id, here later or at another silo.");

    private static string Capitalize(string role) => char.ToUpperInvariant(role[0]) + role[1..];
}
