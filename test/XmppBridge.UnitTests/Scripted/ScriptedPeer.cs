using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.UnitTests.Scripted;

/// <summary>
/// The server end of one client connection. What the client sends is parsed with the client's own stream
/// parser (well covered by its own tests) into elements the test asserts on; what the test sends is raw XML.
/// </summary>
internal sealed class ScriptedPeer : IXmlStreamSink, IAsyncDisposable
{
    public const string Domain = "example.org";

    private static readonly XNamespace SmNs = XmppNamespaces.StreamManagement;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly XmlStreamParser _parser;
    private readonly Channel<XElement?> _elements = Channel.CreateUnbounded<XElement?>();
    private readonly Channel<XElement> _headers = Channel.CreateUnbounded<XElement>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private volatile bool _restartPending;

    public ScriptedPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _parser = new XmlStreamParser(this);
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Everything the client sent, as text, for failure messages.</summary>
    public StringBuilder Transcript { get; } = new();

    public async Task SendAsync(string xml, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml), cancellationToken);
    }

    /// <summary>Waits for the client's stream header and answers with ours and <paramref name="features"/>.</summary>
    public async Task<XElement> OpenStreamAsync(string features, CancellationToken cancellationToken)
    {
        var header = await WithTimeout(_headers.Reader.ReadAsync(cancellationToken).AsTask(), "a stream header");
        await SendAsync(
            $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s-{Guid.NewGuid():N}' from='{Domain}' version='1.0' xml:lang='en'>"
            + $"<stream:features>{features}</stream:features>",
            cancellationToken);
        return header;
    }

    /// <summary>The client restarts the stream after SASL success (RFC 6120 §6.4.6); parse its new header from scratch.</summary>
    public void ExpectStreamRestart() => _restartPending = true;

    /// <summary>The next element the client sent, or null when it closed its stream.</summary>
    public Task<XElement?> ReadAsync(CancellationToken cancellationToken) =>
        WithTimeout(_elements.Reader.ReadAsync(cancellationToken).AsTask(), "an element");

    /// <summary>The next element that is not an XEP-0198 <c>&lt;r/&gt;</c> or <c>&lt;a/&gt;</c>.</summary>
    public async Task<XElement> ReadStanzaAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var element = await ReadAsync(cancellationToken) ?? throw new InvalidOperationException($"The client closed its stream. It sent:\n{Transcript}");
            if (element.Name != SmNs + "r" && element.Name != SmNs + "a")
            {
                return element;
            }
        }
    }

    /// <summary>Closes the TCP connection without a closing handshake, as a dropped network would.</summary>
    public void Drop()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _parser.Dispose();
        _stop.Dispose();
    }

    void IXmlStreamSink.OnStreamStart(XElement header) => _headers.Writer.TryWrite(header);

    void IXmlStreamSink.OnElement(XElement element) => _elements.Writer.TryWrite(element);

    void IXmlStreamSink.OnStreamEnd() => _elements.Writer.TryWrite(null);

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                lock (Transcript)
                {
                    Transcript.Append(Encoding.UTF8.GetString(buffer, 0, read));
                }

                if (_restartPending)
                {
                    // Safe here: the client sends its new header only after our <success/>, which the test sent after setting the flag.
                    _restartPending = false;
                    _parser.Reset();
                }

                _parser.Push(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _elements.Writer.TryComplete();
        }
    }

    private async Task<T> WithTimeout<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(ScriptedXmppServer.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The client sent no {what} within {ScriptedXmppServer.Timeout}. It sent:\n{Transcript}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed while waiting for {what}. The client sent:\n{Transcript}");
        }
    }
}
