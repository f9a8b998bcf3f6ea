using System.Net;
using System.Net.Sockets;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.Scripted;

/// <summary>
/// A loopback TCP listener standing in for an XMPP server: each accepted connection is a
/// <see cref="ScriptedPeer"/> that the test drives line by line (send this, expect that).
/// </summary>
internal sealed class ScriptedXmppServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<ScriptedPeer> _peers = [];

    public ScriptedXmppServer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Options for a client of this server: alice@example.org/desk with <see cref="ScriptedLogin.Password"/>,
    /// plaintext on loopback, no keep-alive pings; <paramref name="configure"/> changes the rest.
    /// </summary>
    public XmppClientOptions ClientOptions(Action<XmppClientOptions>? configure = null)
    {
        var options = new XmppClientOptions
        {
            Jid = Jid.Parse("alice@example.org/desk"),
            Password = ScriptedLogin.Password,
            Host = "127.0.0.1",
            Port = Port,
            AllowPlaintextOnLoopback = true,
            PingInterval = TimeSpan.Zero,
            ConnectTimeout = Timeout,
            ShutdownTimeout = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Waits (bounded) for the client's next TCP connection.</summary>
    public async Task<ScriptedPeer> AcceptAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var socket = await _listener.AcceptSocketAsync(timeout.Token);
        var peer = new ScriptedPeer(socket);
        _peers.Add(peer);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }
    }
}
