using Actors.Contracts.Hosting;
using System.Globalization;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Diagnostics;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.StreamManagement;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client;

/// <summary>Session establishment, resumption, reconnection and the send path.</summary>
public sealed partial class XmppClient
{
    private const string RequestAck = "<r xmlns='urn:xmpp:sm:3'/>";

    /// <summary>Opens a connection and either resumes the XEP-0198 session or starts a fresh one.</summary>
    private async Task<bool> EstablishAsync(CancellationToken cancellationToken)
    {
        var (connection, features) = await XmppConnection.OpenAsync(CurrentServer, _options, _logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var smOffered = _options.StreamManagement && features.Element(SmNs + "sm") is not null;
            bool canResume;
            uint inbound;
            string? previousId;
            lock (_sm)
            {
                canResume = smOffered && _sm.CanResume(_time.GetUtcNow());
                inbound = _sm.Inbound;
                previousId = _sm.ResumptionId;
            }

            if (canResume && await TryResumeAsync(connection, inbound, previousId!, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            await StartFreshSessionAsync(connection, features, smOffered, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<bool> TryResumeAsync(XmppConnection connection, uint inbound, string previousId, CancellationToken cancellationToken)
    {
        var request = new XElement(SmNs + "resume", new XAttribute("h", inbound), new XAttribute("previd", previousId));
        await connection.WriteAsync(XmlStanzaWriter.ToXml(request), cancellationToken).ConfigureAwait(false);
        var answer = await connection.ReadElementAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new XmppException("The server closed the stream during resumption.");
        if (answer.Name != SmNs + "resumed")
        {
            _logger.LogResumeFailed();
            return false;
        }

        // XEP-0198 §5: the server's h says which of our stanzas it handled; resend the rest in order.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<OutboundStanza> resend;
            lock (_sm)
            {
                ApplyAck(ParseH(answer));
                resend = _sm.TakeUnacked();
                foreach (var stanza in resend)
                {
                    _sm.OnSent(stanza);
                }

                _sm.ResumableUntil = null;
                _sm.AckRequested = resend.Count > 0;
            }

            if (resend.Count > 0)
            {
                await connection.WriteAsync(string.Concat(resend.Select(s => s.Xml)) + RequestAck, cancellationToken).ConfigureAwait(false);
            }

            Touch();
            Volatile.Write(ref _connection, connection);
        }
        finally
        {
            _sendLock.Release();
        }

        _logger.LogSessionEstablished(BoundJid?.ToString() ?? string.Empty, resumed: true, streamManagement: true);
        return true;
    }

    private async Task StartFreshSessionAsync(XmppConnection connection, XElement features, bool smOffered, CancellationToken cancellationToken)
    {
        BoundJid = await BindAsync(connection, features, cancellationToken).ConfigureAwait(false);

        // RFC 6121 §2.1.6, §3.1.5: roster pushes and subscription approvals/denials reach only "interested"
        // resources, those that requested the roster; do it before anything else can arrive.
        XNamespace rosterNs = XmppNamespaces.Roster;
        await NegotiationIqAsync(connection, new Iq(IqType.Get, new XElement(rosterNs + "query")) { Id = NewId() }, cancellationToken).ConfigureAwait(false);

        string? resumptionId = null;
        var smEnabled = false;
        if (smOffered)
        {
            // XEP-0198 §5: without resume='true' the server keeps no dropped session: it ends it (and tells contacts)
            // at once. A window of zero asks for exactly that.
            var max = (int)Math.Max(1, _options.ResumptionWindow.TotalSeconds);
            var enable = _options.ResumptionWindow > TimeSpan.Zero
                ? $"<enable xmlns='urn:xmpp:sm:3' resume='true' max='{max}'/>"
                : "<enable xmlns='urn:xmpp:sm:3'/>";
            await connection.WriteAsync(enable, cancellationToken).ConfigureAwait(false);
            var answer = await connection.ReadElementAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new XmppException("The server closed the stream while enabling stream management.");
            if (answer.Name == SmNs + "enabled")
            {
                smEnabled = true;
                var resume = (string?)answer.Attribute("resume");
                resumptionId = resume is "true" or "1" ? (string?)answer.Attribute("id") : null;
            }
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Messages the old session never got acknowledged are sent again (at-least-once: the old
            // server session is gone, so they may or may not have arrived); IQs and presence are not —
            // presence is re-published below from the remembered state, and IQs sent on the old session
            // fail now: their responses would go to a session that no longer exists.
            List<OutboundStanza> carried;
            var lostEpoch = _sessionEpoch++;
            FailPendingIqs(lostEpoch, new XmppSessionLostException("The XMPP session this IQ was sent on ended without resumption; no response will arrive."));
            lock (_sm)
            {
                carried = _sm.TakeUnacked().Where(s => s.IsMessage).ToList();
                if (smEnabled)
                {
                    _sm.Start(resumptionId);
                }
                else
                {
                    _sm.Disable();
                }
            }

            Touch();
            Volatile.Write(ref _connection, connection);
            var presence = Volatile.Read(ref _presence);
            var outbound = presence is null ? carried : [.. carried, new OutboundStanza(XmlStanzaWriter.ToXml(presence.Element), IsMessage: false)];
            foreach (var stanza in outbound)
            {
                await WriteCountedAsync(connection, stanza, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }

        _logger.LogSessionEstablished(BoundJid.ToString(), resumed: false, streamManagement: smEnabled);
    }

    private async Task<Jid> BindAsync(XmppConnection connection, XElement features, CancellationToken cancellationToken)
    {
        XNamespace bindNs = XmppNamespaces.Bind;
        if (features.Element(bindNs + "bind") is null)
        {
            throw new XmppException("The server does not offer resource binding.");
        }

        var bind = new XElement(bindNs + "bind");
        if (_options.Jid.Resource is { } resource)
        {
            bind.Add(new XElement(bindNs + "resource", resource));
        }

        var result = await NegotiationIqAsync(connection, new Iq(IqType.Set, bind) { Id = NewId() }, cancellationToken).ConfigureAwait(false);
        var jid = result.Payload?.Element(bindNs + "jid")?.Value;
        if (!Jid.TryParse(jid, out var bound))
        {
            throw new XmppException("The server's bind result carries no valid JID.");
        }

        // RFC 3921 session establishment, still advertised by some servers; RFC 6121 made it a no-op.
        XNamespace sessionNs = XmppNamespaces.Session;
        if (features.Element(sessionNs + "session") is { } session && session.Element(sessionNs + "optional") is null)
        {
            await NegotiationIqAsync(connection, new Iq(IqType.Set, new XElement(sessionNs + "session")) { Id = NewId() }, cancellationToken).ConfigureAwait(false);
        }

        return bound;
    }

    /// <summary>An IQ during negotiation, before the read loop runs: read until its response.</summary>
    private static async Task<Iq> NegotiationIqAsync(XmppConnection connection, Iq request, CancellationToken cancellationToken)
    {
        await connection.WriteAsync(XmlStanzaWriter.ToXml(request.Element), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var element = await connection.ReadElementAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new XmppException("The server closed the stream during session setup.");
            if (Stanza.FromElement(element) is Iq response && response.Id == request.Id)
            {
                return response.Type == IqType.Error
                    ? throw new XmppStanzaException(response.Error ?? new StanzaError(StanzaErrorType.Cancel, "undefined-condition"))
                    : response;
            }
        }
    }

    /// <summary>Runs connections one after another until the client stops: read, and on loss reconnect with backoff.</summary>
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = Volatile.Read(ref _connection);
            var error = connection is null ? null : await RunConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (_stopping || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            error ??= new XmppException("The server closed the stream.");
            _logger.LogConnectionLost(error);
            lock (_sm)
            {
                _sm.ResumableUntil ??= _time.GetUtcNow() + _options.ResumptionWindow;
            }

            Volatile.Write(ref _connection, null);
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            SetState(XmppConnectionState.Reconnecting, resumed: false, error);
            // Multi-homed: the server we lost may be gone, so try the next one first. The back-off grows once per
            // round over the list, so every server gets a try at the shortest delay before the delays grow.
            NextServer();
            for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
            {
                var delay = BackoffDelay(attempt / _servers.Count);
                _logger.LogReconnectDelay(delay, attempt + 1, CurrentServer.ToString());
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(_options.ConnectTimeout);
                    var resumed = await EstablishAsync(timeout.Token).ConfigureAwait(false);
                    if (_stopping)
                    {
                        return;
                    }

                    SetState(XmppConnectionState.Connected, resumed, error: null);
                    break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _logger.LogReconnectFailed(ex, attempt + 1, CurrentServer.ToString());
                    NextServer();
                }
            }
        }
    }

    /// <summary>The project's one back-off rule (<see cref="Backoff"/>, with jitter so clients do not reconnect in lockstep); <paramref name="attempt"/> counts from 0.</summary>
    internal TimeSpan BackoffDelay(int attempt)
    {
        // Backoff refuses a zero delay; a client configured with none still waits a tick between attempts.
        var min = _options.ReconnectMinDelay > TimeSpan.Zero ? _options.ReconnectMinDelay : TimeSpan.FromMilliseconds(1);
        var max = _options.ReconnectMaxDelay > min ? _options.ReconnectMaxDelay : min;
        return Backoff.Delay(attempt + 1, min, max);
    }

    /// <summary>Reads and dispatches until the connection ends; returns why it ended (null when the client is stopping).</summary>
    private async Task<Exception?> RunConnectionAsync(XmppConnection connection, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Aborted);
        var keepAlive = KeepAliveAsync(connection, linked.Token);
        try
        {
            while (true)
            {
                var element = await connection.ReadElementAsync(linked.Token).ConfigureAwait(false);
                if (element is null)
                {
                    return _stopping ? null : new XmppException("The server closed the stream.");
                }

                Touch();
                await DispatchAsync(connection, element, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException ex)
        {
            return new XmppException("The connection was dropped.", ex);
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            await keepAlive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>XEP-0199 §4.2 client-to-server pings while the stream is idle; no answer in time drops the connection.</summary>
    private async Task KeepAliveAsync(XmppConnection connection, CancellationToken cancellationToken)
    {
        if (_options.PingInterval <= TimeSpan.Zero)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastReceivedTimestamp));
            if (idle < _options.PingInterval)
            {
                await Task.Delay(_options.PingInterval - idle, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                var ping = new Iq(IqType.Get, new XElement(XName.Get("ping", XmppNamespaces.Ping)), Jid.Create(null, _options.Jid.Domain));
                await SendIqCoreAsync(ping, _options.PingTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogPingTimeout(_options.PingTimeout);
                connection.Abort();
                return;
            }
            catch (XmppStanzaException)
            {
                // An error reply still proves the connection is alive.
            }

            Touch();
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastReceivedTimestamp, _time.GetTimestamp());

    private async Task SendCoreAsync(Stanza stanza, PendingIq? pendingIq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var xml = XmlStanzaWriter.ToXml(stanza.Element);
        // Checked before queueing: an oversized stanza would make the server close the stream, and stream management
        // would send it again on every new session.
        if (xml.Length > _options.MaxOutboundStanzaBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(xml) is var size && size > _options.MaxOutboundStanzaBytes)
        {
            throw new XmppStanzaTooLargeException(size, _options.MaxOutboundStanzaBytes);
        }
        await SendStanzaXmlAsync(new OutboundStanza(xml, stanza is Message), cancellationToken, pendingIq).ConfigureAwait(false);
        XmppInstruments.CountOut(stanza.Element.Name.LocalName);
    }

    private async Task SendStanzaXmlAsync(OutboundStanza stanza, CancellationToken cancellationToken, PendingIq? pendingIq = null)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = Volatile.Read(ref _connection);
            if (connection is null)
            {
                lock (_sm)
                {
                    if (_sm.Enabled)
                    {
                        if (_sm.UnackedCount >= _options.MaxQueuedStanzas)
                        {
                            throw new XmppSendQueueFullException(_options.MaxQueuedStanzas);
                        }

                        // Delivered by resumption or re-sent on the fresh session.
                        _sm.OnSent(stanza);
                        pendingIq?.SessionEpoch = _sessionEpoch;
                        return;
                    }
                }

                throw new XmppException("The XMPP client is not connected.");
            }

            pendingIq?.SessionEpoch = _sessionEpoch;

            await WriteCountedAsync(connection, stanza, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Writes a stanza under the send lock, recording it for XEP-0198 first so the queue order is the wire order.</summary>
    private async Task WriteCountedAsync(XmppConnection connection, OutboundStanza stanza, CancellationToken cancellationToken)
    {
        var xml = stanza.Xml;
        bool counted;
        lock (_sm)
        {
            counted = _sm.Enabled;
            if (counted)
            {
                _sm.OnSent(stanza);
                if (!_sm.AckRequested)
                {
                    _sm.AckRequested = true;
                    xml += RequestAck;
                }
            }
        }

        try
        {
            await connection.WriteAsync(xml, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppException) when (counted)
        {
            // The stanza stays queued; the read loop notices the loss and resumption resends it.
        }
    }

    private async Task SendNonzaAsync(XmppConnection connection, string xml, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(xml, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppException)
        {
            // The read loop sees the broken connection.
        }
    }

    private void ApplyAck(uint h)
    {
        var outstanding = _sm.UnackedCount;
        if (_sm.OnAck(h) < 0)
        {
            _logger.LogAckBeyondSent(h, outstanding);
        }
    }

    private static uint ParseH(XElement element) =>
        uint.TryParse((string?)element.Attribute("h"), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : 0;

    private async Task<Iq> SendIqCoreAsync(Iq request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = request.Id ??= NewId();
        var pending = new PendingIq(request.To);
        if (!_pendingIqs.TryAdd(id, pending))
        {
            throw new ArgumentException($"An IQ with id '{id}' is already waiting for its response.", nameof(request));
        }

        try
        {
            await SendCoreAsync(request, pending, cancellationToken).ConfigureAwait(false);
            Iq response;
            try
            {
                response = await pending.Completion.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No response to IQ '{id}' to {request.To?.ToString() ?? "the server"} within {timeout}.");
            }

            return response.Type == IqType.Error
                ? throw new XmppStanzaException(response.Error ?? new StanzaError(StanzaErrorType.Cancel, "undefined-condition"))
                : response;
        }
        finally
        {
            _pendingIqs.TryRemove(id, out _);
        }
    }

    private void FailPendingIqs(Exception error)
    {
        foreach (var (_, pending) in _pendingIqs)
        {
            pending.Completion.TrySetException(error);
        }
    }

    /// <summary>Fails the IQs written or queued on session <paramref name="epoch"/> or earlier; call under the send lock.</summary>
    private void FailPendingIqs(long epoch, Exception error)
    {
        foreach (var (_, pending) in _pendingIqs)
        {
            // An IQ still waiting for the send lock is written on the new session and keeps waiting.
            if (pending.SessionEpoch != PendingIq.NotSent && pending.SessionEpoch <= epoch)
            {
                pending.Completion.TrySetException(error);
            }
        }
    }
}
