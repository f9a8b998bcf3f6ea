using System.Diagnostics.Metrics;
using Actors.Contracts.Hosting;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Diagnostics;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.UnitTests.Scripted;

namespace Actors.XmppBridge.UnitTests;

/// <summary>
/// The XMPP stanza counters (docs/observability.md) against a scripted server: one message each way counts one in and
/// one out, of kind <c>message</c>.
/// </summary>
public sealed class XmppInstrumentsUnitTests
{
    // Only this test's measurements: the client's read loop runs in the execution context of ConnectAsync, so the flag
    // flows there, while other tests' clients in this process record without it.
    private static readonly AsyncLocal<bool> Mine = new();

    [Fact]
    public async Task Stanzas_OneMessageEachWay_CountedInAndOutByKind()
    {
        var ct = TestContext.Current.CancellationToken;
        var counted = new List<(string Name, string? Kind, long Value)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ActorsTelemetry.MeterName
                    && instrument.Name is XmppInstruments.StanzasInName or XmppInstruments.StanzasOutName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!Mine.Value)
            {
                return;
            }
            string? kind = null;
            foreach (var tag in tags)
            {
                kind = tag.Key == "kind" ? tag.Value as string : kind;
            }
            lock (counted)
            {
                counted.Add((instrument.Name, kind, value));
            }
        });
        listener.Start();
        Mine.Value = true;

        await using var server = new ScriptedXmppServer();
        await using var client = new XmppClient(server.ClientOptions());
        var received = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += (_, m) => received.TrySetResult(m);
        var connecting = client.ConnectAsync(ct);
        var peer = await server.AcceptAsync(ct);
        await ScriptedLogin.LoginAsync(peer, streamManagement: false, ct);
        await connecting.WaitAsync(ScriptedXmppServer.Timeout, ct);

        await peer.SendAsync("<message from='bob@example.org/phone' to='alice@example.org/desk' type='chat' id='in-1'><body>hello</body></message>", ct);
        await received.Task.WaitAsync(ScriptedXmppServer.Timeout, ct);
        await client.SendAsync(new Message(Jid.Parse("bob@example.org"), "hi") { Id = "out-1" }, ct);
        await peer.ReadStanzaAsync(ct);

        lock (counted)
        {
            counted.Where(c => c.Name == XmppInstruments.StanzasInName && c.Kind == "message").Sum(c => c.Value).Should().Be(1);
            counted.Where(c => c.Name == XmppInstruments.StanzasOutName && c.Kind == "message").Sum(c => c.Value).Should().Be(1);
        }
    }
}
