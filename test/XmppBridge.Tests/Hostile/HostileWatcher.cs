using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Hostile;

/// <summary>
/// One watcher account (no read or write role) doing everything it can to a silo at once (issue 15, hostile-input
/// run): on one session, a stream of chat commands, writes and IQ reads it has no role for, malformed write and IQ
/// payloads, over-long chat arguments, a chat write larger than the silo takes, deeply nested elements and spoofed
/// <c>&lt;silo/&gt;</c> presence, sent as fast as the connection takes them; on a second, raw connection of the same
/// account, a stanza over the server's size limit and XML that is not well-formed, logging in again after each stream
/// the server closes. Shared by <c>HostileInputTests</c> (correctness under the flood) and the XmppBenchmarks
/// <c>hostile</c> mode (the writer's throughput beside it).
/// </summary>
internal sealed class HostileWatcher : IAsyncDisposable
{
    private static readonly XNamespace Actors = "urn:actors:1";

    private readonly XmppClientOptions _options;
    private readonly Jid _silo;
    private readonly XmppClient _client;
    private long _sent;
    private long _errorsReceived;
    private long _repliesReceived;
    private long _streamsClosedByServer;
    private long _rawFailures;

    public HostileWatcher(XmppClientOptions options, Jid silo)
    {
        _options = options;
        _silo = silo;
        _client = new XmppClient(options);
        _client.MessageReceived += (_, m) =>
        {
            if (m.Type == MessageType.Error)
            {
                Interlocked.Increment(ref _errorsReceived);
            }
            else if (m.Body is not null)
            {
                Interlocked.Increment(ref _repliesReceived);
            }
        };
    }

    /// <summary>Stanzas the flooding session handed to its connection.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Error messages the flooder got back (forbidden writes, <c>wait</c> when over its share, …).</summary>
    public long ErrorsReceived => Interlocked.Read(ref _errorsReceived);

    /// <summary>Chat answers the flooder got back (help, status, refusals in text).</summary>
    public long RepliesReceived => Interlocked.Read(ref _repliesReceived);

    /// <summary>Raw sessions the server ended after an oversized or malformed stanza.</summary>
    public long StreamsClosedByServer => Interlocked.Read(ref _streamsClosedByServer);

    /// <summary>Raw sessions that failed otherwise (login refused, timeouts).</summary>
    public long RawFailures => Interlocked.Read(ref _rawFailures);

    public override string ToString() =>
        $"flooder: {Sent} stanzas sent, {RepliesReceived} chat answers and {ErrorsReceived} errors back, {StreamsClosedByServer} raw streams closed by the server ({RawFailures} raw failures)";

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await _client.SetPresenceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Floods until <paramref name="cancellationToken"/> is cancelled; never throws for that.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(FloodAsync(cancellationToken), RawLoopAsync(cancellationToken)).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async Task FloodAsync(CancellationToken cancellationToken)
    {
        var longArgument = new string('x', 10_000);
        var tooLargeWrite = "put flood/big {\"text\":\"" + new string('y', 240_000) + "\"}";
        var nested = new XElement(Actors + "n");
        for (var depth = 0; depth < 100; depth++)
        {
            nested = new XElement(Actors + "n", nested);
        }

        for (var round = 0L; !cancellationToken.IsCancellationRequested; round++)
        {
            var stanzas = new List<Stanza>
            {
                Chat("status"),
                Chat("help"),
                Chat("get bench/r1"),
                Chat("put flood/x {\"n\":1}"),
                Chat("where " + longArgument),
                Chat("drain"),
                Write("flood/w", "put", "{\"n\":1}"),
                Write("not a root", "nope", "not json"),
                new Iq(IqType.Get, new XElement(Actors + "read", new XAttribute("root", "bench/r1")), _silo) { Id = $"f{round}r" },
                new Iq(IqType.Set, new XElement(Actors + "write", new XAttribute("root", "??"), new XAttribute("op", "x"), "{"), _silo) { Id = $"f{round}w" },
                new Iq(IqType.Get, new XElement(Actors + "query", new XAttribute("type", "bench"), new XElement(Actors + "filter", new XAttribute("path", "/" + longArgument))), _silo) { Id = $"f{round}q" },
                SpoofedSilo(PresenceType.Available),
                SpoofedSilo(PresenceType.Unavailable),
                Nested(nested),
            };
            if (round % 20 == 0)
            {
                stanzas.Add(Chat(tooLargeWrite));
            }

            foreach (var stanza in stanzas)
            {
                try
                {
                    await _client.SendAsync(stanza, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (XmppException)
                {
                    // The client's own queue is full (the server reads us slowly) or the session is being replaced.
                    await Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private Message Chat(string body) => new(_silo, body) { Id = Guid.NewGuid().ToString("N") };

    private Message Write(string root, string op, string json)
    {
        var id = Guid.NewGuid().ToString("N");
        var message = new Message { To = _silo, Id = id, Type = MessageType.Normal, ReceiptRequested = true, OriginId = id };
        message.Element.Add(new XElement(Actors + "write", new XAttribute("root", root), new XAttribute("op", op), json));
        return message;
    }

    private Presence SpoofedSilo(PresenceType type)
    {
        var presence = new Presence(type) { To = _silo };
        if (type == PresenceType.Available)
        {
            presence.Element.Add(new XElement(Actors + "silo", new XAttribute("name", _silo.Resource ?? "silo"), new XAttribute("address", "S127.0.0.1:1:1"), new XAttribute("status", "Active")));
        }

        return presence;
    }

    private Message Nested(XElement nested)
    {
        var message = new Message { To = _silo, Type = MessageType.Normal, Id = Guid.NewGuid().ToString("N") };
        message.Element.Add(new XElement(nested));
        return message;
    }

    /// <summary>Logs in over a raw socket, sends what no well-behaved client would, and does it again when the server hangs up.</summary>
    private async Task RawLoopAsync(CancellationToken cancellationToken)
    {
        var oversized = $"<message to='{_silo}' type='chat'><body>{new string('z', 300_000)}</body></message>";
        string[] malformed =
        [
            oversized,
            $"<message to='{_silo}' type='chat'><body>unclosed</mess></message>",
            $"<message to='{_silo}' type='chat'><body>&undefined;</body></message>",
            "<?xml-stylesheet href='x'?><message/>",
        ];
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(30));
                if (await RawSessionAsync(malformed[i % malformed.Length], attempt.Token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _streamsClosedByServer);
                }
                else
                {
                    Interlocked.Increment(ref _rawFailures);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
            {
                Interlocked.Increment(ref _rawFailures);
                await Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when the server ended the stream after <paramref name="hostile"/> (a stream error or a close).</summary>
    private async Task<bool> RawSessionAsync(string hostile, CancellationToken cancellationToken)
    {
        var domain = _options.Jid.Domain;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_options.Host ?? domain, _options.Port, cancellationToken).ConfigureAwait(false);
        Stream stream = tcp.GetStream();
        var reader = new RawReader();
        var header = $"<?xml version='1.0'?><stream:stream to='{domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
        await WriteAsync(stream, header, cancellationToken).ConfigureAwait(false);
        var features = await reader.ReadUntilAsync(stream, "</stream:features>", cancellationToken).ConfigureAwait(false);
        if (features.Contains("<starttls", StringComparison.Ordinal))
        {
            await WriteAsync(stream, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", cancellationToken).ConfigureAwait(false);
            await reader.ReadUntilAsync(stream, "<proceed", cancellationToken).ConfigureAwait(false);
            var trusted = _options.TrustedCertificate;
            var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (trusted is not null && certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString()));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = domain }, cancellationToken).ConfigureAwait(false);
            stream = tls;
            reader = new RawReader();
            await WriteAsync(stream, header, cancellationToken).ConfigureAwait(false);
            await reader.ReadUntilAsync(stream, "</stream:features>", cancellationToken).ConfigureAwait(false);
        }

        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{_options.Jid.Local}\0{_options.Password}"));
        await WriteAsync(stream, $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth>", cancellationToken).ConfigureAwait(false);
        var auth = await reader.ReadUntilAnyAsync(stream, ["<success", "</failure>"], cancellationToken).ConfigureAwait(false);
        if (!auth.Contains("<success", StringComparison.Ordinal))
        {
            return false;
        }

        reader = new RawReader();
        await WriteAsync(stream, header, cancellationToken).ConfigureAwait(false);
        await reader.ReadUntilAsync(stream, "</stream:features>", cancellationToken).ConfigureAwait(false);
        await WriteAsync(stream, "<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>raw</resource></bind></iq>", cancellationToken).ConfigureAwait(false);
        await reader.ReadUntilAsync(stream, "</iq>", cancellationToken).ConfigureAwait(false);

        try
        {
            await WriteAsync(stream, hostile, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return true; // closed while we were still writing (the size limit hit mid-stanza)
        }

        try
        {
            await reader.ReadUntilAnyAsync(stream, ["</stream:stream>"], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads text until a marker shows up; enough for a login script, not an XML parser.</summary>
    private sealed class RawReader
    {
        private readonly StringBuilder _text = new();
        private readonly byte[] _buffer = new byte[16 * 1024];

        public Task<string> ReadUntilAsync(Stream stream, string marker, CancellationToken cancellationToken) =>
            ReadUntilAnyAsync(stream, [marker], cancellationToken);

        public async Task<string> ReadUntilAnyAsync(Stream stream, string[] markers, CancellationToken cancellationToken)
        {
            while (true)
            {
                var text = _text.ToString();
                if (markers.Any(m => text.Contains(m, StringComparison.Ordinal)))
                {
                    _text.Clear();
                    return text;
                }

                var read = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("The server closed the connection.");
                }

                _text.Append(Encoding.UTF8.GetString(_buffer, 0, read));
            }
        }
    }
}
