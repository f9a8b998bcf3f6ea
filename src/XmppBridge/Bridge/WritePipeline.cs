using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// The one way an XMPP write reaches a root grain, whether it came as a message, an IQ or a chat command
/// (docs/xmpp-bridge.md, Writing). Every check happens here, in this order, so the three ways in cannot drift apart:
/// an id, the writer role, not stale, a readable payload, not too large, the silo taking writes; then the grain call,
/// whose return means the write is durable.
/// </summary>
internal sealed class WritePipeline(XmppBridgeOptions options, RoleSet roles, SiloHealthMonitor monitor, IGrainFactory grains, ILogger logger)
{
    /// <summary>Checks and applies one write; never throws for anything the sender or the cluster did.</summary>
    public async Task<WriteOutcome> ExecuteAsync(IncomingWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (string.IsNullOrEmpty(write.ClientId))
        {
            return BridgeErrors.BadRequest("A write needs an id attribute: receipts and errors echo it, and (without an origin-id) it is the write id that makes retries safe.");
        }

        if (!roles.Resolve(write.From).HasFlag(BridgeRoles.Writer))
        {
            return BridgeErrors.Forbidden(write.From, "write", "writer");
        }

        if (Staleness(write.Stanza) is { } stale)
        {
            return stale;
        }

        var (payload, parseError) = write.Parse();
        if (payload is null)
        {
            return BridgeErrors.From(parseError!);
        }

        if (payload.Json is { } json && Encoding.UTF8.GetByteCount(json) is var bytes && bytes > options.MaxWriteBytes)
        {
            return BridgeErrors.TooLarge(bytes, options.MaxWriteBytes);
        }

        if (!monitor.AcceptsWrites)
        {
            return BridgeErrors.Unavailable("This silo is not taking writes now (joining or leaving the cluster).");
        }

        // Scoped to the sender's bare JID: two senders' ids never collide, and one sender's resend is the same write.
        var command = new WriteCommand(payload.Op, $"{write.From.Bare}/{write.ClientId}", payload.Json, payload.IfVersion);
        try
        {
            var result = await grains.GetRoot(payload.Root).WriteAsync(command).ConfigureAwait(false);
            return result.Succeeded ? new WriteOutcome(result, null) : BridgeErrors.From(result.Error);
        }
        catch (Exception ex)
        {
            // A silo dying mid-call, a timeout: the write may or may not be applied, and the same id is safe to resend.
            BridgeLog.LogWriteFailed(logger, ex, payload.Root.ToString(), write.From.ToString());
            return BridgeErrors.FromException(ex, "write");
        }
    }

    /// <summary>
    /// The error for a stanza delayed (XEP-0203) longer than <see cref="XmppBridgeOptions.MaxWriteAge"/>, e.g. stored
    /// offline while its silo was down; null when it is fresh. Writes and chat commands alike are refused when stale.
    /// </summary>
    public StanzaError? Staleness(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        foreach (var delay in stanza.Elements(ActorsXml.Delay))
        {
            if (DateTimeOffset.TryParse((string?)delay.Attribute("stamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp)
                && DateTimeOffset.UtcNow - stamp is var age && age > options.MaxWriteAge)
            {
                return BridgeErrors.Stale(age, options.MaxWriteAge);
            }
        }

        return null;
    }
}
