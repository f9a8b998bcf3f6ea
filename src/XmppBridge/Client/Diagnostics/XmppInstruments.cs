using System.Diagnostics.Metrics;
using Actors.Contracts.Hosting;

namespace Actors.XmppBridge.Client.Diagnostics;

/// <summary>
/// The XMPP side's metrics (docs/observability.md): stanzas the client reads and sends, and — from the silo-side bridge —
/// presence changes and the stanzas waiting for a grain. Names are constants; Prometheus shows
/// <c>actors.xmpp.stanzas.in</c> as <c>actors_xmpp_stanzas_in_total</c>.
/// </summary>
/// <remarks>Static, as Orleans' instruments are: free until something listens to the <see cref="ActorsTelemetry.MeterName"/> meter.</remarks>
internal static class XmppInstruments
{
    public const string StanzasInName = "actors.xmpp.stanzas.in";
    public const string StanzasOutName = "actors.xmpp.stanzas.out";
    public const string PresenceChangesName = "actors.xmpp.presence.changes";
    public const string PendingName = "actors.xmpp.pending";
    public const string RefusedName = "actors.xmpp.overloaded";

    private static readonly Meter Meter = new(ActorsTelemetry.MeterName, ActorsTelemetry.Version);

    public static readonly Counter<long> StanzasIn = Meter.CreateCounter<long>(
        StanzasInName, "{stanza}", "Stanzas received, by kind (message, presence, iq).");

    public static readonly Counter<long> StanzasOut = Meter.CreateCounter<long>(
        StanzasOutName, "{stanza}", "Stanzas sent (or queued for the next session), by kind (message, presence, iq).");

    public static readonly Counter<long> PresenceChanges = Meter.CreateCounter<long>(
        PresenceChangesName, "{change}", "Presences a silo published, by show (available, away, dnd, unavailable).");

    public static readonly UpDownCounter<long> Pending = Meter.CreateUpDownCounter<long>(
        PendingName, "{stanza}", "Stanzas a silo's bridge has queued or is handling (writes wait behind earlier writes to their root).");

    public static readonly Counter<long> Overloaded = Meter.CreateCounter<long>(
        RefusedName, "{stanza}", "Stanzas a silo's bridge refused because its queue was full.");

    public static void CountIn(string kind) => StanzasIn.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void CountOut(string kind) => StanzasOut.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
