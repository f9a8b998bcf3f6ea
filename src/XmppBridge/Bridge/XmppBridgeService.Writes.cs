using System.Globalization;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Store;
using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>Writes by message and by IQ, reads by IQ (DESIGN.md §5).</summary>
internal sealed partial class XmppBridgeService
{
    private void OnMessage(object? sender, Message message)
    {
        if (sender is not XmppClient client || message.From is not { } from
            || message.Type is MessageType.Error or MessageType.GroupChat or MessageType.Headline)
        {
            return;
        }

        if (message.Element.Element(ActorsXml.Write) is { } write)
        {
            // Keyed by root: writes to one root apply in arrival order (so one sender's in the order sent); other roots run concurrently.
            var key = (string?)write.Attribute("root") ?? from.ToString();
            if (!Enqueue(key, () => HandleWriteMessageAsync(client, message, write)))
            {
                BridgeLog.LogOverloaded(_logger, from.ToString());
                _ = SendAsync(client, ErrorReply(message, BridgeErrors.Unavailable("This silo is overloaded.")), from);
            }

            return;
        }

        if (message.Body is { } body && !string.IsNullOrWhiteSpace(body) && from.Bare != _bareJid)
        {
            if (!Enqueue(from.Bare.ToString(), () => HandleChatAsync(client, message, body.Trim())))
            {
                BridgeLog.LogOverloaded(_logger, from.ToString());
            }
        }
    }

    private async Task HandleWriteMessageAsync(XmppClient client, Message message, XElement write)
    {
        var from = message.From!;
        var error = CheckWrite(from, message.Id, message.Element);
        WriteRequest? request = null;
        if (error is null)
        {
            var writeId = $"{from.Bare}/{message.OriginId ?? message.Id}";
            WriteRequest.TryParse(write, writeId, _options.MaxWriteBytes, out request, out error);
        }

        if (error is null && !_monitor.AcceptsWrites)
        {
            error = BridgeErrors.Unavailable("This silo is not taking writes now (joining or leaving the cluster).");
        }

        WriteResult? result = null;
        if (error is null)
        {
            (result, error) = await ExecuteWriteAsync(request!, from).ConfigureAwait(false);
        }

        if (error is not null)
        {
            await SendAsync(client, ErrorReply(message, error), from).ConfigureAwait(false);
            return;
        }

        // Only now, with the grain's success in hand (the write is in storage), does the receipt go out.
        var reply = new Message { To = from, Id = NewId(), Type = message.Type == MessageType.Chat ? MessageType.Chat : MessageType.Normal };
        if (message.ReceiptRequested)
        {
            reply.Element.Add(new XElement(ActorsXml.Received, new XAttribute("id", message.Id!)));
        }

        reply.Element.Add(WriteRequest.Written(result!));
        await SendAsync(client, reply, from).ConfigureAwait(false);
    }

    /// <summary>The checks every write passes before parsing: an id, the writer role, not stale.</summary>
    private StanzaError? CheckWrite(Jid from, string? id, XElement stanza)
    {
        if (string.IsNullOrEmpty(id))
        {
            return BridgeErrors.BadRequest("A write needs an id attribute: receipts and errors echo it, and (without an origin-id) it is the write id that makes retries safe.");
        }

        if (!_roles.Resolve(from).HasFlag(BridgeRoles.Writer))
        {
            return BridgeErrors.Forbidden(from, "write", "writer");
        }

        foreach (var delay in stanza.Elements(ActorsXml.Delay))
        {
            if (DateTimeOffset.TryParse((string?)delay.Attribute("stamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp)
                && DateTimeOffset.UtcNow - stamp is var age && age > _options.MaxWriteAge)
            {
                return BridgeErrors.Stale(age, _options.MaxWriteAge);
            }
        }

        return null;
    }

    private async Task<(WriteResult? Result, StanzaError? Error)> ExecuteWriteAsync(WriteRequest request, Jid from)
    {
        try
        {
            var result = await _grains.GetRoot(request.Root).WriteAsync(request.Command).ConfigureAwait(false);
            return result.Succeeded ? (result, null) : (null, BridgeErrors.From(result.Error));
        }
        catch (Exception ex)
        {
            // A silo dying mid-call, a timeout: the write may or may not be applied, and the same id is safe to resend.
            BridgeLog.LogWriteFailed(_logger, ex, request.Root.ToString(), from.ToString());
            return (null, BridgeErrors.Unavailable($"The cluster did not complete the write ({ex.GetType().Name})."));
        }
    }

    private async Task<Iq> HandleIqAsync(Iq iq, CancellationToken cancellationToken)
    {
        if (iq.From is not { } from || iq.Payload is not { } payload)
        {
            return iq.CreateError(BridgeErrors.BadRequest("The request has no sender or no payload."));
        }

        if (payload.Name == ActorsXml.Write && iq.Type == IqType.Set)
        {
            var error = CheckWrite(from, iq.Id, iq.Element);
            WriteRequest? request = null;
            if (error is null && !WriteRequest.TryParse(payload, $"{from.Bare}/{iq.Id}", _options.MaxWriteBytes, out request, out error))
            {
                return iq.CreateError(error);
            }

            if (error is null && !_monitor.AcceptsWrites)
            {
                error = BridgeErrors.Unavailable("This silo is not taking writes now (joining or leaving the cluster).");
            }

            if (error is not null)
            {
                return iq.CreateError(error);
            }

            var (result, failure) = await ExecuteWriteAsync(request!, from).ConfigureAwait(false);
            return failure is null ? iq.CreateResult(WriteRequest.Written(result!)) : iq.CreateError(failure);
        }

        if (payload.Name == ActorsXml.Read && iq.Type == IqType.Get)
        {
            if (!_roles.Resolve(from).HasFlag(BridgeRoles.Reader))
            {
                return iq.CreateError(BridgeErrors.Forbidden(from, "read", "reader"));
            }

            if (!RootId.TryParse((string?)payload.Attribute("root"), out var root, out var rootError))
            {
                return iq.CreateError(BridgeErrors.From(ActorsError.InvalidRootId(rootError)));
            }

            var (read, failure) = await ExecuteReadAsync(root, (string?)payload.Attribute("path"), from).ConfigureAwait(false);
            return failure is null
                ? iq.CreateResult(new XElement(ActorsXml.Document, new XAttribute("root", read!.Root), new XAttribute("version", read.Version.ToString(CultureInfo.InvariantCulture)), read.Json))
                : iq.CreateError(failure);
        }

        return iq.CreateError(new StanzaError(StanzaErrorType.Cancel, "feature-not-implemented",
            "This silo understands <write/> in an iq of type set and <read/> in an iq of type get (namespace urn:actors:1)."));
    }

    private async Task<(ReadResult? Result, StanzaError? Error)> ExecuteReadAsync(RootId root, string? path, Jid from)
    {
        try
        {
            var result = await _grains.GetRoot(root).ReadAsync(string.IsNullOrEmpty(path) ? null : path).ConfigureAwait(false);
            return result.Succeeded ? (result, null) : (null, BridgeErrors.From(result.Error));
        }
        catch (Exception ex)
        {
            BridgeLog.LogRequestFailed(_logger, ex, from.ToString());
            return (null, BridgeErrors.Unavailable($"The cluster did not complete the read ({ex.GetType().Name})."));
        }
    }

    private static Message ErrorReply(Message request, StanzaError error)
    {
        // RFC 6120 §8.3.1: the error goes back to the sender with the same id, type "error".
        var reply = new Message { To = request.From, Id = request.Id, Type = MessageType.Error };
        reply.Element.Add(error.ToElement());
        return reply;
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
