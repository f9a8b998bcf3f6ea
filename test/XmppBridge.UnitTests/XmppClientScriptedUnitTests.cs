using System.Diagnostics;
using System.Xml.Linq;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Xml;
using Actors.XmppBridge.UnitTests.Scripted;

namespace Actors.XmppBridge.UnitTests;

/// <summary>
/// <see cref="XmppClient"/> against a scripted server on loopback (no real XMPP server): the test plays the
/// server's side of the stream and asserts on every element the client sends back.
/// </summary>
public sealed class XmppClientScriptedUnitTests
{
    private static readonly TimeSpan Timeout = ScriptedXmppServer.Timeout;
    private static readonly XNamespace ClientNs = XmppNamespaces.Client;
    private static readonly Jid Bob = Jid.Parse("bob@example.org/phone");

    [Fact]
    public async Task ConnectAsync_RecordedStream_ScramSha256BindIqAndMessagesOnTheWire()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ScriptedXmppServer();
        await using var client = new XmppClient(Options(server));
        var received = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += (_, m) => received.TrySetResult(m);

        var connecting = client.ConnectAsync(ct);
        var peer = await server.AcceptAsync(ct);
        await ScriptedLogin.LoginAsync(peer, streamManagement: false, ct);
        await connecting.WaitAsync(Timeout, ct);
        client.BoundJid.Should().Be(Jid.Parse("alice@example.org/desk"));
        client.IsStreamManagementEnabled.Should().BeFalse("the server did not offer XEP-0198");

        // RFC 6120 §8.4: an IQ in a namespace nobody handles is answered with service-unavailable, to the requester.
        await peer.SendAsync($"<iq type='get' id='q-1' from='{Bob}' to='alice@example.org/desk'><query xmlns='urn:example:unknown'/></iq>", ct);
        var refusal = await peer.ReadStanzaAsync(ct);
        refusal.Name.Should().Be(ClientNs + "iq");
        ((string?)refusal.Attribute("type")).Should().Be("error");
        ((string?)refusal.Attribute("id")).Should().Be("q-1");
        ((string?)refusal.Attribute("to")).Should().Be(Bob.ToString());
        refusal.Element(ClientNs + "error")?.Element(XName.Get("service-unavailable", XmppNamespaces.Stanzas)).Should().NotBeNull();

        // Our IQ goes out with an id and is completed by the result carrying that id from the entity asked.
        var asking = client.SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("query", "urn:example:q")), Bob), ct);
        var request = await peer.ReadStanzaAsync(ct);
        ((string?)request.Attribute("type")).Should().Be("get");
        ((string?)request.Attribute("to")).Should().Be(Bob.ToString());
        request.Element(XName.Get("query", "urn:example:q")).Should().NotBeNull();
        var id = (string?)request.Attribute("id");
        id.Should().NotBeNullOrEmpty();
        await peer.SendAsync($"<iq type='result' id='{id}' from='{Bob}'><answer xmlns='urn:example:q'>42</answer></iq>", ct);
        (await asking.WaitAsync(Timeout, ct)).Payload?.Value.Should().Be("42");

        await peer.SendAsync($"<message from='{Bob}' to='alice@example.org/desk' type='chat' id='in-1'><body>hello</body></message>", ct);
        var message = await received.Task.WaitAsync(Timeout, ct);
        message.Body.Should().Be("hello");
        message.From.Should().Be(Bob);

        await client.SendAsync(new Message(Bob.Bare, "hi there") { Id = "out-1" }, ct);
        var sent = await peer.ReadStanzaAsync(ct);
        sent.Name.Should().Be(ClientNs + "message");
        ((string?)sent.Attribute("to")).Should().Be("bob@example.org");
        ((string?)sent.Attribute("type")).Should().Be("chat");
        ((string?)sent.Attribute("id")).Should().Be("out-1");
        sent.Element(ClientNs + "body")?.Value.Should().Be("hi there");

        // Clean shutdown: unavailable presence, then </stream:stream>; the client waits for ours.
        var disposing = client.DisposeAsync().AsTask();
        var goodbye = await peer.ReadStanzaAsync(ct);
        goodbye.Name.Should().Be(ClientNs + "presence");
        ((string?)goodbye.Attribute("type")).Should().Be("unavailable");
        (await peer.ReadAsync(ct)).Should().BeNull("</stream:stream> closes the client's stream");
        await peer.SendAsync("</stream:stream>", ct);
        await disposing.WaitAsync(Timeout, ct);
        client.State.Should().Be(XmppConnectionState.Disconnected);
    }

    [Fact]
    public async Task KeepAlive_PeerStopsAnswering_ReconnectingWithinPingIntervalPlusTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var interval = TimeSpan.FromSeconds(1);
        var timeout = TimeSpan.FromSeconds(1);
        await using var server = new ScriptedXmppServer();
        await using var client = new XmppClient(Options(server, o =>
        {
            o.PingInterval = interval;
            o.PingTimeout = timeout;
            o.ReconnectMinDelay = TimeSpan.FromMinutes(1);
            o.ReconnectMaxDelay = TimeSpan.FromMinutes(1);
        }));
        var reconnecting = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) =>
        {
            if (e.State == XmppConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult(Stopwatch.GetTimestamp());
            }
        };

        var connecting = client.ConnectAsync(ct);
        var peer = await server.AcceptAsync(ct);
        await ScriptedLogin.LoginAsync(peer, streamManagement: false, ct);
        var silentSince = Stopwatch.GetTimestamp();
        await connecting.WaitAsync(Timeout, ct);

        // The peer keeps the TCP connection open but never answers again, as a blackholed route would.
        var ping = await peer.ReadStanzaAsync(ct);
        ((string?)ping.Attribute("type")).Should().Be("get");
        ((string?)ping.Attribute("to")).Should().Be(ScriptedPeer.Domain);
        ping.Element(XName.Get("ping", XmppNamespaces.Ping)).Should().NotBeNull("XEP-0199 keep-alive pings the server");

        var detectedAt = await reconnecting.Task.WaitAsync(Timeout, ct);
        var detection = Stopwatch.GetElapsedTime(silentSince, detectedAt);
        detection.Should().BeGreaterThanOrEqualTo(interval + timeout - TimeSpan.FromMilliseconds(100), "the ping goes out after an idle interval and is given its timeout");
        detection.Should().BeLessThan(interval + timeout + TimeSpan.FromSeconds(1.5), "a dead connection is detected within PingInterval + PingTimeout (plus scheduling slack)");
        client.State.Should().Be(XmppConnectionState.Reconnecting);
    }

    private static XmppClientOptions Options(ScriptedXmppServer server, Action<XmppClientOptions>? configure = null)
    {
        var options = new XmppClientOptions
        {
            Jid = Jid.Parse("alice@example.org/desk"),
            Password = ScriptedLogin.Password,
            Host = "127.0.0.1",
            Port = server.Port,
            AllowPlaintextOnLoopback = true,
            PingInterval = TimeSpan.Zero,
            ConnectTimeout = Timeout,
            ShutdownTimeout = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        return options;
    }
}
