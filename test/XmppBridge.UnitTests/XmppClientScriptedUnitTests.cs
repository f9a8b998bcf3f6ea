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
    private static readonly XNamespace SmNs = XmppNamespaces.StreamManagement;
    private static readonly Jid Bob = Jid.Parse("bob@example.org/phone");

    [Fact]
    public async Task ConnectAsync_RecordedStream_ScramSha256BindIqAndMessagesOnTheWire()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ScriptedXmppServer();
        await using var client = new XmppClient(server.ClientOptions());
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
        await using var client = new XmppClient(server.ClientOptions(o =>
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

    [Fact]
    public async Task Reconnect_ResumptionRefused_FreshSessionResendsUnackedMessagesAndFailsPendingIqs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ScriptedXmppServer();
        await using var client = new XmppClient(server.ClientOptions(o =>
        {
            o.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
            o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(100);
            o.IqTimeout = TimeSpan.FromMinutes(5);
        }));
        var reconnected = new TaskCompletionSource<XmppConnectionStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawReconnecting = false;
        client.StateChanged += (_, e) =>
        {
            sawReconnecting |= e.State == XmppConnectionState.Reconnecting;
            if (sawReconnecting && e.State == XmppConnectionState.Connected)
            {
                reconnected.TrySetResult(e);
            }
        };

        var connecting = client.ConnectAsync(ct);
        var first = await server.AcceptAsync(ct);
        await ScriptedLogin.LoginAsync(first, streamManagement: true, ct, smId: "sm-1");
        await connecting.WaitAsync(Timeout, ct);
        client.IsStreamManagementEnabled.Should().BeTrue();

        await client.SetPresenceAsync(PresenceShow.None, "here", cancellationToken: ct);
        (await first.ReadStanzaAsync(ct)).Name.Should().Be(ClientNs + "presence");
        // h=1 acknowledges the presence; the message and the IQ below are never acknowledged.
        await first.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>", ct);
        await client.SendAsync(new Message(Bob, "kept") { Id = "m-1" }, ct);
        ((string?)(await first.ReadStanzaAsync(ct)).Attribute("id")).Should().Be("m-1");
        var asking = client.SendIqAsync(new Iq(IqType.Get, new XElement(XName.Get("query", "urn:example:slow")), Bob), ct);
        (await first.ReadStanzaAsync(ct)).Name.Should().Be(ClientNs + "iq");
        first.Drop();

        var second = await server.AcceptAsync(ct);
        await ScriptedLogin.AuthenticateAsync(second, streamManagement: true, ct);
        var resume = await second.ReadStanzaAsync(ct);
        resume.Name.Should().Be(SmNs + "resume");
        ((string?)resume.Attribute("previd")).Should().Be("sm-1");
        ((string?)resume.Attribute("h")).Should().Be("0", "the client received no stanza after <enabled/>");
        await second.SendAsync("<failed xmlns='urn:xmpp:sm:3'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>", ct);
        await ScriptedLogin.BindAsync(second, ct);
        await ScriptedLogin.EnableStreamManagementAsync(second, "sm-2", ct);

        // The IQ's response would go to the lost session: it fails now, long before IqTimeout.
        await asking.Invoking(t => t.WaitAsync(Timeout, ct)).Should().ThrowAsync<XmppSessionLostException>();

        var resent = await second.ReadStanzaAsync(ct);
        resent.Name.Should().Be(ClientNs + "message", "the unacknowledged message is sent again on the fresh session");
        ((string?)resent.Attribute("id")).Should().Be("m-1");
        resent.Element(ClientNs + "body")?.Value.Should().Be("kept");
        var republished = await second.ReadStanzaAsync(ct);
        republished.Name.Should().Be(ClientNs + "presence", "presence is re-published after the message; the IQ is not re-sent");
        republished.Element(ClientNs + "status")?.Value.Should().Be("here");

        var state = await reconnected.Task.WaitAsync(Timeout, ct);
        state.Resumed.Should().BeFalse();
        client.IsStreamManagementEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_ReconnectingWithQueueFull_ThrowsQueueFullAndQueuesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ScriptedXmppServer();
        await using var client = new XmppClient(server.ClientOptions(o =>
        {
            o.MaxQueuedStanzas = 2;
            o.ReconnectMinDelay = TimeSpan.FromMinutes(1);
            o.ReconnectMaxDelay = TimeSpan.FromMinutes(1);
        }));
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) =>
        {
            if (e.State == XmppConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };

        var connecting = client.ConnectAsync(ct);
        var peer = await server.AcceptAsync(ct);
        await ScriptedLogin.LoginAsync(peer, streamManagement: true, ct);
        await connecting.WaitAsync(Timeout, ct);
        peer.Drop();
        await reconnecting.Task.WaitAsync(Timeout, ct);

        await client.SendAsync(new Message(Bob, "one"), ct);
        await client.SendAsync(new Message(Bob, "two"), ct);
        var third = () => client.SendAsync(new Message(Bob, "three"), ct);
        (await third.Should().ThrowAsync<XmppSendQueueFullException>()).Which.Limit.Should().Be(2);
        client.StreamManagementForTest.UnackedCount.Should().Be(2);
    }

    [Fact]
    public void Constructor_MaxQueuedStanzasBelowOne_Throws()
    {
        var options = new XmppClientOptions { Jid = Jid.Parse("alice@example.org"), Password = "p", MaxQueuedStanzas = 0 };
        var create = () => new XmppClient(options);
        create.Should().Throw<ArgumentException>().WithMessage("*MaxQueuedStanzas*");
    }
}
