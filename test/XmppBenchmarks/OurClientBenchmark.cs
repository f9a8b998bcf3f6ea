using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBenchmarks;

/// <summary>
/// Round trips between pairs of our clients: in each pair the pinger keeps <see cref="BenchmarkSettings.Window"/>
/// messages outstanding to the echoer's full JID, and the echoer sends each one back with the same id (or, for a
/// write's stanzas, answers with the receipt a silo sends).
/// </summary>
internal static class OurClientBenchmark
{
    public const string Password = "bench-pass";

    /// <summary>How long after the window a message may still be answered before it counts as unanswered.</summary>
    private static readonly TimeSpan UnansweredAfter = TimeSpan.FromSeconds(5);

    private static int _sessions;

    public static string PingUser(int pair) => $"ping{pair}";

    public static string EchoUser(int pair) => $"echo{pair}";

    /// <summary>
    /// Measures <paramref name="pairs"/> pairs. <paramref name="writeShaped"/>: the pinger sends the very stanza a write
    /// sends (receipt request, origin-id, <c>&lt;write/&gt;</c> with a patch) and the echoer answers with the receipt a
    /// silo sends, so the server does a write's work without the silo; otherwise a one-character body is echoed back.
    /// </summary>
    public static async Task<Measurement> RunAsync(IXmppTestServer server, int pairs, BenchmarkSettings settings, CancellationToken cancellationToken, bool writeShaped = false)
    {
        var pingers = new List<Pinger>();
        var clients = new List<XmppClient>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = new List<Task>();
        try
        {
            for (var pair = 0; pair < pairs; pair++)
            {
                var echo = await ConnectAsync(server, EchoUser(pair), settings, cancellationToken);
                clients.Add(echo);
                loops.Add(EchoAsync(echo, stop.Token));
                var ping = await ConnectAsync(server, PingUser(pair), settings, cancellationToken);
                clients.Add(ping);
                pingers.Add(new Pinger(ping, echo.BoundJid!, settings.Window, writeShaped));
            }

            var started = Stopwatch.GetTimestamp();
            var windowStart = started + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
            var windowEnd = windowStart + (long)(settings.Measure.TotalSeconds * Stopwatch.Frequency);
            foreach (var pinger in pingers)
            {
                pinger.SetWindow(windowStart, windowEnd);
                loops.Add(pinger.RunAsync(stop.Token));
            }

            var prosodyPid = BenchServer.Pid(server);
            await Task.Delay(settings.Warmup, cancellationToken);
            var serverBefore = CpuMeter.ProcessTime(prosodyPid);
            var clientBefore = CpuMeter.ProcessTime(Environment.ProcessId);
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var machineBefore = CpuMeter.MachineBusyTime();
            await Task.Delay(settings.Measure, cancellationToken);
            var machineCores = (CpuMeter.MachineBusyTime() - machineBefore) / settings.Measure;
            var serverCores = (CpuMeter.ProcessTime(prosodyPid) - serverBefore) / settings.Measure;
            var clientCores = (CpuMeter.ProcessTime(Environment.ProcessId) - clientBefore) / settings.Measure;
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            // Pingers stop sending at the end of the window (one waiting for a slot sends one more): let the answers
            // still on their way arrive, then count the messages that never came back (a server that drops them would
            // otherwise only show as a lower rate).
            var settle = Stopwatch.GetTimestamp() + (long)(UnansweredAfter.TotalSeconds * Stopwatch.Frequency);
            while (pingers.Any(p => p.Outstanding > 0) && Stopwatch.GetTimestamp() < settle)
            {
                await Task.Delay(50, cancellationToken);
            }

            var unanswered = pingers.Sum(p => (long)p.Outstanding);
            await stop.CancelAsync();
            await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            var latencies = pingers.SelectMany(p => p.Latencies).ToList();
            var measurement = Measurement.FromLatencies((settings.StreamManagement ? "ours" : "ours, no XEP-0198") + (writeShaped ? ", write stanzas" : ""), pairs, latencies, settings.Measure, serverCores, clientCores);
            return measurement with
            {
                AllocatedBytesPerRoundTrip = measurement.RoundTrips == 0 ? 0 : allocated / measurement.RoundTrips,
                OtherCores = Math.Max(0, machineCores - serverCores - clientCores),
                Unanswered = unanswered,
            };
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static async Task<XmppClient> ConnectAsync(IXmppTestServer server, string user, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var client = new XmppClient(new XmppClientOptions
        {
            // A resource of its own per run: a session of the run before, still closing on the server, must not keep
            // the full JID the next run's pinger sends to (seen on ejabberd: a run of 0 round trips).
            Jid = Jid.Parse($"{user}@{server.Domain}/bench-{Interlocked.Increment(ref _sessions).ToString(System.Globalization.CultureInfo.InvariantCulture)}"),
            Password = Password,
            Host = server.Host,
            Port = server.Port,
            AllowPlaintextOnLoopback = true,
            TrustedCertificate = server.Certificate, // null on a plaintext server; STARTTLS (writes mode) needs it
            ShutdownTimeout = TimeSpan.FromSeconds(1),
            StreamManagement = settings.StreamManagement,
        });
        try
        {
            await client.ConnectAsync(cancellationToken);
            await client.SetPresenceAsync(cancellationToken: cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends every received message back to its sender with the same id, in arrival order.</summary>
    private static async Task EchoAsync(XmppClient client, CancellationToken cancellationToken)
    {
        // Events run on the read loop: hand replies to one sender task instead of awaiting there.
        var replies = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        client.MessageReceived += (_, m) =>
        {
            if (m.ReceiptRequested && m.From is not null && m.Id is not null)
            {
                // What a silo answers a write with: the receipt and the <written/> it carries.
                var receipt = m.CreateReceipt();
                receipt.Element.Add(new WrittenPayload(XmppWriteLoad.RootOf(m) ?? "bench/r0", 1, Duplicate: false).ToElement());
                replies.Writer.TryWrite(receipt);
            }
            else if (m.From is { } from && m.Body is { } body)
            {
                replies.Writer.TryWrite(new Message(from, body) { Id = m.Id });
            }
        };

        try
        {
            await foreach (var reply in replies.Reader.ReadAllAsync(cancellationToken))
            {
                await client.SendAsync(reply, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Pinger
    {
        private readonly XmppClient _client;
        private readonly Jid _peer;
        private readonly SemaphoreSlim _window;
        private readonly bool _writeShaped;
        private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
        private readonly List<double> _latencies = [];
        private long _windowStart;
        private long _windowEnd;

        public Pinger(XmppClient client, Jid peer, int window, bool writeShaped)
        {
            _client = client;
            _peer = peer;
            _window = new SemaphoreSlim(window, window);
            _writeShaped = writeShaped;
            client.MessageReceived += (_, m) =>
            {
                if ((writeShaped ? m.ReceiptFor : m.Id) is { } id && _sent.TryRemove(id, out var sentAt))
                {
                    var now = Stopwatch.GetTimestamp();
                    if (now >= _windowStart && now < _windowEnd)
                    {
                        lock (_latencies)
                        {
                            _latencies.Add((now - sentAt) * 1000.0 / Stopwatch.Frequency);
                        }
                    }

                    _window.Release();
                }
            };
        }

        /// <summary>Messages sent and not answered yet.</summary>
        public int Outstanding => _sent.Count;

        public IReadOnlyList<double> Latencies
        {
            get
            {
                lock (_latencies)
                {
                    return [.. _latencies];
                }
            }
        }

        /// <summary>The stanza <see cref="XmppWriteLoad"/> sends for a patch, to the echoer instead of a silo.</summary>
        private Message WriteShaped(string id, long n) =>
            XmppWriteLoad.WriteStanza(_peer, id, $"bench/r{(n % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)}", "patch", $$"""[{"op":"replace","path":"/n","value":{{n}}}]""");

        public void SetWindow(long start, long end)
        {
            _windowStart = start;
            _windowEnd = end;
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                for (long n = 0; Stopwatch.GetTimestamp() < _windowEnd; n++)
                {
                    await _window.WaitAsync(cancellationToken);
                    var id = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    _sent[id] = Stopwatch.GetTimestamp();
                    await _client.SendAsync(_writeShaped ? WriteShaped(id, n) : new Message(_peer, "x") { Id = id }, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
