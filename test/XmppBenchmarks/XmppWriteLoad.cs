using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBenchmarks;

/// <summary>
/// One writer client keeping a window of <c>&lt;write/&gt;</c> messages with receipt requests outstanding to a silo's
/// full JID; a write is done when its <c>&lt;received/&gt;</c> arrives (the bridge sends it only after the grain stored
/// the write), or failed when an error with its id comes back.
/// </summary>
internal sealed class XmppWriteLoad : IAsyncDisposable
{
    private static readonly XNamespace ActorsNs = "urn:actors:1";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly XmppClient _client;
    private readonly Jid _silo;
    private readonly int _window;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly List<double> _latencies = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _next;
    private long _windowStart;
    private long _windowEnd = long.MaxValue;
    private long _errors;
    private string? _lastError;

    private XmppWriteLoad(XmppClient client, Jid silo, int window)
    {
        _client = client;
        _silo = silo;
        _window = window;
        _slots = new SemaphoreSlim(window, window);
        client.MessageReceived += OnMessage;
    }

    public static async Task<XmppWriteLoad> ConnectAsync(IXmppTestServer server, string user, Jid silo, int window, CancellationToken cancellationToken, string resource = "bench-writer")
    {
        var client = new XmppClient(new XmppClientOptions
        {
            Jid = Jid.Parse($"{user}@{server.Domain}/{resource}"),
            Password = OurClientBenchmark.Password,
            Host = server.Host,
            Port = server.Port,
            AllowPlaintextOnLoopback = true,
            TrustedCertificate = server.Certificate,
            ShutdownTimeout = TimeSpan.FromSeconds(1),
        });
        var load = new XmppWriteLoad(client, silo, window);
        try
        {
            await client.ConnectAsync(cancellationToken);
            await client.SetPresenceAsync(cancellationToken: cancellationToken);
            return load;
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one write at a time until one is confirmed: the silo is Active and its bridge takes writes.</summary>
    public async Task WaitUntilAcceptedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var errors = Interlocked.Read(ref _errors);
            await SendAsync("bench/probe", "put", """{"probe":true}""", cancellationToken);
            await DrainAsync(TimeSpan.FromSeconds(5), cancellationToken);
            if (Interlocked.Read(ref _errors) == errors && _sent.IsEmpty)
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The silo did not confirm a write within {timeout.TotalSeconds:0} s; last error: {_lastError ?? "none (no answer)"}");
            }

            ForgetUnanswered();
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>Creates every root with a ~500-byte document (and warms up the silo), window-limited.</summary>
    public async Task SeedAsync(int roots, CancellationToken cancellationToken)
    {
        var filler = new string('x', 450);
        for (var root = 0; root < roots; root++)
        {
            await SendAsync(RootName(root), "put", $$"""{"n":0,"text":"{{filler}}"}""", cancellationToken);
        }

        await DrainAsync(DrainTimeout, cancellationToken);
        if (Interlocked.Exchange(ref _errors, 0) is var errors and > 0)
        {
            throw new InvalidOperationException($"{errors} of {roots} seed writes failed; last error: {_lastError}");
        }
    }

    /// <summary>Patches roots round-robin with the window full for warm-up plus measure; counts receipts in the measured part.</summary>
    public async Task<WriteMeasurement> MeasureAsync(BenchmarkSettings settings, IReadOnlyDictionary<string, int> pids, CancellationToken cancellationToken)
    {
        lock (_latencies)
        {
            _latencies.Clear();
        }

        var started = Stopwatch.GetTimestamp();
        _windowStart = started + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        _windowEnd = _windowStart + (long)(settings.Measure.TotalSeconds * Stopwatch.Frequency);
        Interlocked.Exchange(ref _errors, 0);
        _lastError = null;
        var meter = Task.Run(
            async () =>
            {
                await Task.Delay(settings.Warmup, cancellationToken);
                var before = pids.ToDictionary(p => p.Key, p => CpuMeter.ProcessTime(p.Value));
                var machineBefore = CpuMeter.MachineBusyTime();
                await Task.Delay(settings.Measure, cancellationToken);
                var cores = pids.ToDictionary(p => p.Key, p => (CpuMeter.ProcessTime(p.Value) - before[p.Key]) / settings.Measure);
                var machine = (CpuMeter.MachineBusyTime() - machineBefore) / settings.Measure;
                return (cores, machine);
            },
            cancellationToken);

        for (var n = 0L; Stopwatch.GetTimestamp() < _windowEnd; n++)
        {
            var root = (int)(n % settings.Roots);
            await SendAsync(RootName(root), "patch", $$"""[{"op":"replace","path":"/n","value":{{n}}}]""", cancellationToken);
        }

        await DrainAsync(DrainTimeout, cancellationToken);
        // Writes still unanswered after the drain are counted, and their slots freed for the next repetition.
        var unanswered = ForgetUnanswered();

        var (cores, machineCores) = await meter;
        List<double> latencies;
        lock (_latencies)
        {
            latencies = [.. _latencies];
        }

        latencies.Sort();
        _windowEnd = long.MaxValue;
        return new WriteMeasurement(
            latencies.Count / settings.Measure.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            cores,
            Math.Max(0, machineCores - cores.Values.Sum()),
            Interlocked.Read(ref _errors),
            unanswered,
            _lastError);
    }

    public async ValueTask DisposeAsync()
    {
        _client.MessageReceived -= OnMessage;
        await _client.DisposeAsync();
        _slots.Dispose();
    }

    private static string RootName(int root) => $"bench/r{root.ToString(CultureInfo.InvariantCulture)}";

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];

    private async Task SendAsync(string root, string op, string json, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var id = $"{_run}-{Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture)}";
        var message = WriteStanza(_silo, id, root, op, json);
        _sent[id] = Stopwatch.GetTimestamp();
        await _client.SendAsync(message, cancellationToken);
    }

    /// <summary>The stanza of one write with a receipt request (also what the raw write-stanza round trips send).</summary>
    internal static Message WriteStanza(Jid to, string id, string root, string op, string json)
    {
        var message = new Message { To = to, Id = id, Type = MessageType.Normal, ReceiptRequested = true, OriginId = id };
        message.Element.Add(new XElement(ActorsNs + "write", new XAttribute("root", root), new XAttribute("op", op), json));
        return message;
    }

    /// <summary>The root a write stanza names, or null for any other message.</summary>
    internal static string? RootOf(Message message) => (string?)message.Element.Element(ActorsNs + "write")?.Attribute("root");

    /// <summary>Waits until every outstanding write is answered (all window slots are free again).</summary>
    private async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var taken = 0;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            for (; taken < _window; taken++)
            {
                await _slots.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Unanswered writes stay in _sent; the caller decides.
        }
        finally
        {
            if (taken > 0)
            {
                _slots.Release(taken);
            }
        }
    }

    /// <summary>
    /// Stops waiting for the writes not answered yet and frees their window slots; returns how many. Each is removed
    /// one by one, so an answer arriving meanwhile frees its slot once, here or in <see cref="OnMessage"/>, never twice.
    /// </summary>
    private int ForgetUnanswered()
    {
        var forgotten = 0;
        foreach (var id in _sent.Keys)
        {
            if (_sent.TryRemove(id, out _))
            {
                forgotten++;
            }
        }

        if (forgotten > 0)
        {
            _slots.Release(forgotten);
        }

        return forgotten;
    }

    private void OnMessage(object? sender, Message message)
    {
        var now = Stopwatch.GetTimestamp();
        string? id;
        if (message.Type == MessageType.Error)
        {
            id = message.Id;
            if (id is null || !_sent.ContainsKey(id))
            {
                return;
            }

            Interlocked.Increment(ref _errors);
            _lastError = message.Element.ToString(SaveOptions.DisableFormatting);
        }
        else
        {
            id = message.ReceiptFor;
        }

        if (id is null || !_sent.TryRemove(id, out var sentAt))
        {
            return;
        }

        if (message.Type != MessageType.Error && now >= _windowStart && now < _windowEnd)
        {
            lock (_latencies)
            {
                _latencies.Add((now - sentAt) * 1000.0 / Stopwatch.Frequency);
            }
        }

        _slots.Release();
    }
}

/// <summary>XMPP writes in one measured window: rate, latency, CPU of each process (cores), CPU of everything else.</summary>
internal sealed record WriteMeasurement(
    double OpsPerSecond, double P50Ms, double P99Ms, IReadOnlyDictionary<string, double> Cores, double OtherCores, long Errors, long Unanswered, string? LastError)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{"xmpp writes",-22} {OpsPerSecond,8:F0} w/s   p50={P50Ms,6:F2} ms  p99={P99Ms,6:F2} ms  {string.Join("  ", Cores.Select(c => $"{c.Key}={c.Value:F2}"))}  other={OtherCores:F2} cores  errors={Errors}  unanswered={Unanswered}{(LastError is null ? string.Empty : $" (last: {LastError})")}");
}
