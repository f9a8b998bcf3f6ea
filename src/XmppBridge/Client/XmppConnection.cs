using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Sasl;
using Actors.XmppBridge.Client.Xml;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Client;

/// <summary>
/// One transport-level stream: TCP (or an injected stream), STARTTLS, SASL and stream restarts
/// (RFC 6120 §4–§6). Session work (bind, stream management, dispatch) belongs to <see cref="XmppClient"/>.
/// </summary>
/// <remarks>Reads have one consumer at a time; writes are serialised by a semaphore.</remarks>
internal sealed class XmppConnection : IXmlStreamSink, IAsyncDisposable
{
    private static readonly XNamespace StreamNs = XmppNamespaces.Stream;
    private static readonly XNamespace TlsNs = XmppNamespaces.Tls;
    private static readonly XNamespace SaslNs = XmppNamespaces.Sasl;

    private readonly XmppClientOptions _options;
    private readonly ILogger _logger;
    private readonly Socket? _socket;
    private readonly XmlStreamParser _parser;
    private readonly Queue<XElement?> _events = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _aborted = new();
    private Stream _stream;
    private byte[] _readBuffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private bool _headerSeen;
    private int _disposed;

    public XmppConnection(Stream stream, Socket? socket, bool isLoopback, XmppClientOptions options, ILogger logger)
    {
        _stream = stream;
        _socket = socket;
        IsLoopback = isLoopback;
        _options = options;
        _logger = logger;
        _parser = new XmlStreamParser(this, new XmlStreamLimits { MaxStanzaBytes = options.MaxStanzaBytes });
    }

    /// <summary>True once TLS is established.</summary>
    public bool IsSecure { get; private set; }

    /// <summary>True when the peer address is loopback (plaintext may be allowed).</summary>
    public bool IsLoopback { get; }

    /// <summary>Cancelled when the connection is aborted or disposed.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Opens TCP and negotiates TLS and SASL; returns the post-authentication stream features.</summary>
    public static async Task<(XmppConnection Connection, XElement Features)> OpenAsync(XmppServerEndpoint server, XmppClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var host = server.Host;
        logger.LogConnecting(host, server.Port, options.Jid.ToString());
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        XmppConnection? connection = null;
        try
        {
            await socket.ConnectAsync(host, server.Port, cancellationToken).ConfigureAwait(false);
            var loopback = socket.RemoteEndPoint is IPEndPoint ip && IPAddress.IsLoopback(ip.Address);
            connection = new XmppConnection(new NetworkStream(socket, ownsSocket: true), socket, loopback, options, logger);
            var features = await connection.NegotiateAsync(cancellationToken).ConfigureAwait(false);
            return (connection, features);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>STARTTLS (if offered) and SASL over an open transport; returns the post-authentication features.</summary>
    public async Task<XElement> NegotiateAsync(CancellationToken cancellationToken)
    {
        var features = await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        if (features.Element(TlsNs + "starttls") is not null)
        {
            await WriteAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", cancellationToken).ConfigureAwait(false);
            var answer = await ReadRequiredAsync(cancellationToken).ConfigureAwait(false);
            if (answer.Name != TlsNs + "proceed")
            {
                throw new XmppException($"The server refused STARTTLS ({answer.Name.LocalName}).");
            }

            await UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
            features = await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!(_options.AllowPlaintextOnLoopback && IsLoopback))
        {
            // RFC 6120 §5.3.1: without TLS the password would cross the network in the clear.
            throw new XmppException("The server does not offer STARTTLS; plaintext is allowed only with AllowPlaintextOnLoopback on a loopback address.");
        }

        await AuthenticateAsync(features, cancellationToken).ConfigureAwait(false);
        return await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a stream header and returns the server's <c>&lt;stream:features/&gt;</c>.</summary>
    public async Task<XElement> OpenStreamAsync(CancellationToken cancellationToken)
    {
        _parser.Reset();
        _events.Clear();
        _headerSeen = false;
        var header = new StringBuilder("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' xml:lang='en' to=\"");
        XmlStanzaWriter.EscapeAttribute(header, _options.Jid.Domain);
        header.Append("\" from=\"");
        XmlStanzaWriter.EscapeAttribute(header, _options.Jid.Bare.ToString());
        header.Append("\">");
        await WriteAsync(header.ToString(), cancellationToken).ConfigureAwait(false);
        var features = await ReadRequiredAsync(cancellationToken).ConfigureAwait(false);
        if (features.Name != StreamNs + "features")
        {
            throw new XmppException($"Expected stream features, got <{features.Name.LocalName}>.");
        }

        return features;
    }

    /// <summary>Reads the next first-level element; null when the stream or the connection ended.</summary>
    /// <exception cref="XmppStreamErrorException">The server sent a stream error, or its XML broke the rules.</exception>
    public async Task<XElement?> ReadElementAsync(CancellationToken cancellationToken)
    {
        while (_events.Count == 0)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_readBuffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            try
            {
                _parser.Push(_readBuffer.AsSpan(0, read));
            }
            catch (XmlStreamException ex)
            {
                var condition = ex.Condition.ToWireName();
                _logger.LogStreamErrorSent(condition, ex.Message);
                await TrySendStreamErrorAsync(condition, ex.Message).ConfigureAwait(false);
                throw new XmppStreamErrorException(condition, ex.Message, sentByPeer: false);
            }
        }

        var element = _events.Dequeue();
        if (element is not null && element.Name == StreamNs + "error")
        {
            var condition = element.Elements().FirstOrDefault(e => e.Name.NamespaceName == XmppNamespaces.StreamErrors && e.Name.LocalName != "text")?.Name.LocalName ?? "undefined-condition";
            var text = element.Element(XName.Get("text", XmppNamespaces.StreamErrors))?.Value;
            _logger.LogStreamErrorReceived(condition, text);
            throw new XmppStreamErrorException(condition, text, sentByPeer: true);
        }

        if (element is not null && _logger.IsEnabled(LogLevel.Trace))
        {
            _logger.LogReceived(SaslRedaction.ForLog(element));
        }

        return element;
    }

    /// <summary>Writes raw, already-escaped XML.</summary>
    public async Task WriteAsync(string xml, CancellationToken cancellationToken)
    {
        var length = Encoding.UTF8.GetMaxByteCount(xml.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var count = Encoding.UTF8.GetBytes(xml, buffer);
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            throw new XmppException("The XMPP connection is closed.", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_logger.IsEnabled(LogLevel.Trace))
        {
            _logger.LogSent(SaslRedaction.ForLog(xml));
        }
    }

    /// <summary>Sends <c>&lt;/stream:stream&gt;</c>, bounded by <paramref name="timeout"/>; the reader sees the server's reply.</summary>
    public async Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await WriteAsync("</stream:stream>", bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppException or OperationCanceledException)
        {
            // Best effort: the socket is closed right after either way.
        }
    }

    /// <summary>Drops the connection at once (no closing handshake).</summary>
    public void Abort()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        if (_socket is not null)
        {
            try
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            _socket.Dispose();
        }
        else
        {
            _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _parser.Dispose();
        _aborted.Dispose();
        ArrayPool<byte>.Shared.Return(_readBuffer);
        _readBuffer = [];
    }

    void IXmlStreamSink.OnStreamStart(XElement header) => _headerSeen = true;

    void IXmlStreamSink.OnElement(XElement element) => _events.Enqueue(element);

    void IXmlStreamSink.OnStreamEnd() => _events.Enqueue(null);

    private async Task<XElement> ReadRequiredAsync(CancellationToken cancellationToken) =>
        await ReadElementAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new XmppException(_headerSeen ? "The server closed the stream during negotiation." : "The server closed the connection before its stream header.");

    private async Task TrySendStreamErrorAsync(string condition, string text)
    {
        var sb = new StringBuilder("<stream:error><").Append(condition).Append(" xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>");
        XmlStanzaWriter.EscapeText(sb, text);
        sb.Append("</text></stream:error></stream:stream>");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await WriteAsync(sb.ToString(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppException or OperationCanceledException)
        {
        }
    }

    private async Task UpgradeToTlsAsync(CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var trusted = _options.TrustedCertificate;
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = _options.Jid.Domain,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (trusted is not null && certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData)),
        };
        await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
        _stream = ssl;
        IsSecure = true;
        _logger.LogTlsEstablished(ssl.SslProtocol.ToString());
    }

    private async Task AuthenticateAsync(XElement features, CancellationToken cancellationToken)
    {
        var offered = features.Element(SaslNs + "mechanisms")?.Elements(SaslNs + "mechanism").Select(m => m.Value.Trim()).ToHashSet(StringComparer.Ordinal) ?? [];
        var mechanism = SelectMechanism(offered, IsSecure || (_options.AllowPlaintextOnLoopback && IsLoopback), _options.Jid.Local ?? string.Empty, _options.Password)
            ?? throw new XmppAuthenticationException("invalid-mechanism", $"No usable SASL mechanism among: {string.Join(", ", offered)}.");

        await WriteAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='{mechanism.Name}'>{Convert.ToBase64String(mechanism.InitialResponse())}</auth>", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var answer = await ReadRequiredAsync(cancellationToken).ConfigureAwait(false);
            switch (answer.Name.LocalName)
            {
                case "challenge" when answer.Name.Namespace == SaslNs:
                    byte[] response;
                    try
                    {
                        response = mechanism.Respond(DecodeSaslData(answer.Value));
                    }
                    catch (XmppAuthenticationException)
                    {
                        await WriteAsync("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", cancellationToken).ConfigureAwait(false);
                        throw;
                    }

                    await WriteAsync($"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Convert.ToBase64String(response)}</response>", cancellationToken).ConfigureAwait(false);
                    break;
                case "success" when answer.Name.Namespace == SaslNs:
                    mechanism.Complete(DecodeSaslData(answer.Value));
                    _logger.LogAuthenticated(mechanism.Name);
                    return;
                case "failure" when answer.Name.Namespace == SaslNs:
                    var condition = answer.Elements().FirstOrDefault(e => e.Name.LocalName != "text")?.Name.LocalName ?? "not-authorized";
                    throw new XmppAuthenticationException(condition, answer.Element(SaslNs + "text")?.Value);
                default:
                    throw new XmppAuthenticationException("malformed-request", $"Unexpected <{answer.Name.LocalName}/> during SASL.");
            }
        }
    }

    /// <summary>Chooses the strongest offered mechanism (RFC 6120 §6.3.3 leaves the order to the client).</summary>
    internal static ISaslMechanism? SelectMechanism(IReadOnlySet<string> offered, bool plainAllowed, string user, string password)
    {
        if (offered.Contains("SCRAM-SHA-256"))
        {
            return new ScramMechanism(HashAlgorithmName.SHA256, user, password);
        }

        if (offered.Contains("SCRAM-SHA-1"))
        {
            return new ScramMechanism(HashAlgorithmName.SHA1, user, password);
        }

        return plainAllowed && offered.Contains("PLAIN") ? new PlainMechanism(user, password) : null;
    }

    private static byte[] DecodeSaslData(string text)
    {
        // RFC 6120 §6.4.2: "=" stands for an empty response.
        text = text.Trim();
        if (text.Length == 0 || text == "=")
        {
            return [];
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new XmppAuthenticationException("incorrect-encoding", "The server sent SASL data that is not base64.");
        }
    }
}
