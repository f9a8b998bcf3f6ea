using System.Xml.Linq;
using Actors.Contracts;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Diagnostics;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.Bridge;

/// <summary>Writes by message and by IQ, reads by IQ (docs/xmpp-bridge.md); every write goes through <see cref="WritePipeline"/>.</summary>
internal sealed partial class XmppBridgeService
{
    private void OnMessage(object? sender, Message message)
    {
        if (sender is not XmppClient client || message.From is not { } from
            || message.Type is MessageType.Error or MessageType.GroupChat or MessageType.Headline)
        {
            return;
        }

        // Roles are checked before anything is queued, and each sender queues within its own share (SenderShares).
        var roles = _roles.Resolve(from);
        if (message.Element.Element(ActorsXml.Write) is { } write)
        {
            if (!roles.HasFlag(BridgeRoles.Writer))
            {
                _ = SendAsync(client, ErrorReply(message, BridgeErrors.Forbidden(from, "write", "writer")), from);
                return;
            }

            if (_shares.TryAdmit(from, write.Value.Length + 512L) is not { } lease)
            {
                BridgeLog.LogOverloaded(_logger, from.ToString());
                XmppInstruments.Overloaded.Add(1);
                _ = SendAsync(client, ErrorReply(message, BridgeErrors.ShareUsedUp(from, _shares.MaxStanzas, _shares.MaxBytes)), from);
                return;
            }

            // Keyed by root: writes to one root apply in arrival order (so one sender's in the order sent); other roots run concurrently.
            var key = (string?)write.Attribute("root") ?? from.ToString();
            if (!Enqueue(key, async () => { using (lease) { await HandleWriteMessageAsync(client, message, write).ConfigureAwait(false); } }))
            {
                lease.Dispose();
                BridgeLog.LogOverloaded(_logger, from.ToString());
                XmppInstruments.Overloaded.Add(1);
                _ = SendAsync(client, ErrorReply(message, BridgeErrors.Unavailable("This silo is overloaded.")), from);
            }

            return;
        }

        if (message.Body is { } body && !string.IsNullOrWhiteSpace(body) && from.Bare != _bareJid)
        {
            // Without any role (not even watcher) a chat message gets no answer: answering strangers would let anyone
            // use the silo to send stanzas.
            if (roles == BridgeRoles.None || _shares.TryAdmit(from, body.Length + 256L) is not { } lease)
            {
                BridgeLog.LogOverloaded(_logger, from.ToString());
                XmppInstruments.Overloaded.Add(1);
                return;
            }

            if (!Enqueue(from.Bare.ToString(), async () => { using (lease) { await HandleChatAsync(client, message, body.Trim()).ConfigureAwait(false); } }))
            {
                lease.Dispose();
                BridgeLog.LogOverloaded(_logger, from.ToString());
                XmppInstruments.Overloaded.Add(1);
            }
        }
    }

    private async Task HandleWriteMessageAsync(XmppClient client, Message message, XElement write)
    {
        var from = message.From!;
        var outcome = await _writes.ExecuteAsync(new IncomingWrite(from, message.OriginId ?? message.Id, message.Element, () => Parse(write))).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            await SendAsync(client, ErrorReply(message, outcome.Error), from).ConfigureAwait(false);
            return;
        }

        // Only now, with the grain's success in hand (the write is in storage), does the receipt go out.
        var reply = message.ReceiptRequested
            ? message.CreateReceipt()
            : new Message { To = from, Id = NewId(), Type = message.Type == MessageType.Chat ? MessageType.Chat : MessageType.Normal };
        reply.Element.Add(WrittenPayload.From(outcome.Result).ToElement());
        await SendAsync(client, reply, from).ConfigureAwait(false);
    }

    private static PayloadResult Parse(XElement write) =>
        WritePayload.TryParse(write, out var payload, out var error) ? payload : error;

    private async Task<Iq> HandleIqAsync(Iq iq, CancellationToken cancellationToken)
    {
        if (iq.From is not { } from || iq.Payload is not { } payload)
        {
            return iq.CreateError(BridgeErrors.BadRequest("The request has no sender or no payload."));
        }

        // The client runs each IQ handler on its own task: bound them all, and each sender within its share.
        if (_shares.TryAdmit(from, payload.Value.Length + 512L) is not { } lease)
        {
            return iq.CreateError(BridgeErrors.ShareUsedUp(from, _shares.MaxStanzas, _shares.MaxBytes));
        }
        using (lease)
        {
            if (!_iqSlots.Wait(0, CancellationToken.None))
            {
                return iq.CreateError(BridgeErrors.Unavailable($"This silo is handling {_options.MaxConcurrentIqs:N0} IQ requests already (Actors:Xmpp:MaxConcurrentIqs)."));
            }
            try
            {
                return await HandleAdmittedIqAsync(iq, from, payload).ConfigureAwait(false);
            }
            finally
            {
                _iqSlots.Release();
            }
        }
    }

    private async Task<Iq> HandleAdmittedIqAsync(Iq iq, Jid from, XElement payload)
    {
        if (payload.Name == ActorsXml.Write && iq.Type == IqType.Set)
        {
            var outcome = await _writes.ExecuteAsync(new IncomingWrite(from, iq.Id, iq.Element, () => Parse(payload))).ConfigureAwait(false);
            return outcome.Succeeded ? iq.CreateResult(WrittenPayload.From(outcome.Result).ToElement()) : iq.CreateError(outcome.Error);
        }

        if (payload.Name == ActorsXml.Read && iq.Type == IqType.Get)
        {
            if (!_roles.Resolve(from).HasFlag(BridgeRoles.Reader))
            {
                return iq.CreateError(BridgeErrors.Forbidden(from, "read", "reader"));
            }

            if (!ReadPayload.TryParse(payload, out var read, out var readError))
            {
                return iq.CreateError(BridgeErrors.From(readError));
            }

            var (result, failure) = await ExecuteReadAsync(read, from).ConfigureAwait(false);
            if (failure is null && result!.Json is { } json && TooLargeForXmpp(json) is { } size)
            {
                return iq.CreateError(BridgeErrors.TooLargeForXmpp(read.Root.ToString(), size));
            }
            return failure is null ? iq.CreateResult(DocumentPayload.From(result!).ToElement()) : iq.CreateError(failure);
        }

        if (payload.Name == ActorsXml.Query && iq.Type == IqType.Get)
        {
            return await HandleQueryIqAsync(iq, from, payload).ConfigureAwait(false);
        }

        return iq.CreateError(new StanzaError(StanzaErrorType.Cancel, "feature-not-implemented",
            "This silo understands <write/> in an iq of type set, and <read/> and <query/> in an iq of type get (namespace urn:actors:1)."));
    }

    private async Task<(ReadResult? Result, StanzaError? Error)> ExecuteReadAsync(ReadPayload read, Jid from)
    {
        try
        {
            var result = await _grains.GetRoot(read.Root).ReadAsync(read.Path).ConfigureAwait(false);
            return result.Succeeded ? (result, null) : (null, BridgeErrors.From(result.Error));
        }
        catch (Exception ex)
        {
            BridgeLog.LogRequestFailed(_logger, ex, from.ToString());
            return (null, BridgeErrors.FromException(ex, "read"));
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
