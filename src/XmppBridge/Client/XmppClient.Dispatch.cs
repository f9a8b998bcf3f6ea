using System.Xml.Linq;
using Actors.XmppBridge.Client.Diagnostics;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client;

/// <summary>Routing of received elements: stream-management nonzas, IQ correlation and handlers, events.</summary>
public sealed partial class XmppClient
{
    private async Task DispatchAsync(XmppConnection connection, XElement element, CancellationToken cancellationToken)
    {
        if (element.Name.Namespace == SmNs)
        {
            await HandleStreamManagementAsync(connection, element, cancellationToken).ConfigureAwait(false);
            return;
        }

        var stanza = Stanza.FromElement(element);
        if (stanza is null)
        {
            return;
        }

        XmppInstruments.CountIn(element.Name.LocalName);

        lock (_sm)
        {
            if (_sm.Enabled)
            {
                _sm.Inbound++;
            }
        }

        switch (stanza)
        {
            case Iq { IsRequest: true } request:
                // Handlers run concurrently with the read loop so a slow one cannot stall the stream.
                _ = Task.Run(() => AnswerIqAsync(request), CancellationToken.None);
                break;
            case Iq response:
                CompleteIq(response);
                break;
            case Message message:
                Raise(MessageReceived, message);
                break;
            case Presence { Type: PresenceType.Subscribe } request:
                Raise(SubscriptionRequested, request);
                break;
            case Presence presence:
                Raise(PresenceReceived, presence);
                break;
        }
    }

    private async Task HandleStreamManagementAsync(XmppConnection connection, XElement element, CancellationToken cancellationToken)
    {
        switch (element.Name.LocalName)
        {
            case "r":
                uint inbound;
                lock (_sm)
                {
                    inbound = _sm.Inbound;
                }

                await SendNonzaAsync(connection, $"<a xmlns='urn:xmpp:sm:3' h='{inbound}'/>", cancellationToken).ConfigureAwait(false);
                break;
            case "a":
                bool again;
                lock (_sm)
                {
                    ApplyAck(ParseH(element));
                    again = _sm.UnackedCount > 0;
                    _sm.AckRequested = again;
                }

                if (again)
                {
                    // Stanzas written after our last <r/> are still unconfirmed: ask again so the queue drains.
                    await SendNonzaAsync(connection, RequestAck, cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    private void CompleteIq(Iq response)
    {
        if (response.Id is not { } id || !_pendingIqs.TryGetValue(id, out var pending))
        {
            return;
        }

        // RFC 6120 §8.2.3 / §10.1: accept a response only from the entity we asked (our server or our own
        // bare JID may answer without 'from'), so another entity cannot spoof a result by guessing ids.
        var from = response.From;
        var expected = pending.To;
        var ownBare = _options.Jid.Bare;
        var fromServerOrSelf = from is null || from == Jid.Create(null, _options.Jid.Domain) || from == ownBare || from == BoundJid;
        var matches = expected is null || expected == Jid.Create(null, _options.Jid.Domain) || expected == ownBare
            ? fromServerOrSelf
            : from == expected;
        if (matches)
        {
            pending.Completion.TrySetResult(response);
        }
    }

    private async Task AnswerIqAsync(Iq request)
    {
        var ns = request.Payload?.Name.NamespaceName;
        Iq response;
        if (ns is not null && _iqHandlers.TryGetValue(ns, out var handler))
        {
            try
            {
                response = await handler(request, _lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogHandlerFailed(ex, ns);
                response = request.CreateError(new StanzaError(StanzaErrorType.Cancel, "internal-server-error"));
            }
        }
        else
        {
            // RFC 6120 §8.4: an IQ request nobody understands MUST be answered with service-unavailable.
            response = request.CreateError(new StanzaError(StanzaErrorType.Cancel, "service-unavailable"));
        }

        response.Id = request.Id;
        response.To = request.From;
        try
        {
            try
            {
                await SendAsync(response, _lifetime.Token).ConfigureAwait(false);
                if (response.AfterSent is { } after)
                {
                    await RunAfterSentAsync(after, ns).ConfigureAwait(false);
                }
            }
            catch (XmppStanzaTooLargeException tooLarge)
            {
                // The answer does not fit in a stanza: say so instead of leaving the requester to time out.
                var error = request.CreateError(new StanzaError(StanzaErrorType.Modify, "not-acceptable",
                    $"The answer is {tooLarge.Size:N0} bytes, more than fits in one XMPP stanza here ({tooLarge.Limit:N0}); ask for less."));
                error.Id = request.Id;
                error.To = request.From;
                await SendAsync(error, _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is XmppException or OperationCanceledException or ObjectDisposedException)
        {
            // Disconnected meanwhile: the requester times out, as it would have anyway.
        }
    }

    private async Task RunAfterSentAsync(Func<Task> after, string? ns)
    {
        try
        {
            await after().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogHandlerFailed(ex, ns ?? "");
        }
    }

    private void RegisterBuiltInHandlers()
    {
        // XEP-0199 §6: answer server and client pings with an empty result.
        _iqHandlers[XmppNamespaces.Ping] = (iq, _) => Task.FromResult(iq.CreateResult());

        // RFC 6121 §2.1.6: acknowledge roster pushes, but only from our own account (a push from anyone
        // else is a spoofing attempt and gets service-unavailable).
        _iqHandlers[XmppNamespaces.Roster] = (iq, _) =>
            Task.FromResult(iq.Type == IqType.Set && (iq.From is null || iq.From == _options.Jid.Bare)
                ? iq.CreateResult()
                : iq.CreateError(new StanzaError(StanzaErrorType.Cancel, "service-unavailable")));

        // XEP-0030 §3.1: identity plus the features we implement; the application adds its own via options.
        _iqHandlers[XmppNamespaces.DiscoInfo] = (iq, _) =>
        {
            XNamespace ns = XmppNamespaces.DiscoInfo;
            if (iq.Type != IqType.Get)
            {
                return Task.FromResult(iq.CreateError(new StanzaError(StanzaErrorType.Modify, "bad-request", "disco#info is a get.")));
            }

            if (iq.Payload?.Attribute("node") is not null)
            {
                // XEP-0030 §3.2: a node is answered by whoever owns it (e.g. XEP-0050 command nodes); else it is not here.
                return Task.FromResult(DiscoNodeInfo?.Invoke(iq) ?? iq.CreateError(new StanzaError(StanzaErrorType.Cancel, "item-not-found")));
            }

            var query = new XElement(ns + "query",
                new XElement(ns + "identity", new XAttribute("category", "client"), new XAttribute("type", _options.DiscoIdentityType), new XAttribute("name", _options.DiscoIdentityName)));
            string[] builtIn = [XmppNamespaces.DiscoInfo, XmppNamespaces.Ping, XmppNamespaces.Receipts, XmppNamespaces.StanzaId];
            foreach (var feature in builtIn.Concat(_options.DiscoFeatures).Concat(ExtraDiscoFeatures).Distinct(StringComparer.Ordinal))
            {
                query.Add(new XElement(ns + "feature", new XAttribute("var", feature)));
            }

            return Task.FromResult(iq.CreateResult(query));
        };
    }
}
