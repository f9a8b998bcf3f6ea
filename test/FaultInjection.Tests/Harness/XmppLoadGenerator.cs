using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Actors.Contracts;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Bridge.Writer;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// The second load generator of issue 5: writes over XMPP with the client-side <see cref="XmppStoreWriter"/> as an app
/// would. The same counting pattern as <see cref="HttpLoadGenerator"/> — a JSON Patch <c>add</c> of a unique value to
/// <c>items</c> — with the value as XEP-0359 origin-id (the write id). The writer retries on other silos itself; when it
/// gives up (no silo, not confirmed) the same write id is sent again until the per-write deadline. A write is
/// acknowledged when a silo's receipt came back.
/// </summary>
internal sealed class XmppLoadGenerator : IAsyncDisposable
{
    public const string WriterUser = "app";

    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(500);

    private readonly XmppClient _client;
    private readonly XmppStoreWriter _writer;
    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<WriteRecord> _writes = new();
    private readonly ConcurrentQueue<FailedAttempt> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _next;

    private XmppLoadGenerator(XmppClient client, XmppStoreWriter writer, string label, int roots, int writers, Stopwatch clock)
    {
        _client = client;
        _writer = writer;
        _clock = clock;
        Writers = writers;
        Prefix = $"{label}-x{Guid.NewGuid().ToString("N")[..8]}";
        RootIds = [.. Enumerable.Range(0, roots).Select(i => $"{Prefix}-r{i.ToString(CultureInfo.InvariantCulture)}")];
    }

    public int Writers { get; }

    public string Prefix { get; }

    /// <summary>Root ids (type <see cref="HttpLoadGenerator.RootType"/>).</summary>
    public IReadOnlyList<string> RootIds { get; }

    public TimeSpan WriteDeadline { get; init; } = TimeSpan.FromSeconds(90);

    public IReadOnlyCollection<WriteRecord> Writes => _writes;

    /// <summary>Every failed <see cref="XmppStoreWriter.WriteAsync"/> call (the writer's own retries are inside one call).</summary>
    public IReadOnlyCollection<FailedAttempt> Failures => _failures;

    public ConcurrentDictionary<string, int> Sent { get; } = new(StringComparer.Ordinal);

    public int AcknowledgedCount => _writes.Count(w => w.Acknowledged);

    /// <summary>The silos the writer currently sees available.</summary>
    public IReadOnlyCollection<XmppSilo> AvailableSilos => _writer.AvailableSilos;

    /// <summary>Logs in as the writer account, subscribes to the silos' account and waits until <paramref name="silos"/> are available.</summary>
    public static async Task<XmppLoadGenerator> ConnectAsync(ProsodyServer prosody, string siloAccount, string label, int roots, int writers, int silos, Stopwatch clock, CancellationToken cancellationToken)
    {
        var client = new XmppClient(new XmppClientOptions
        {
            Jid = Jid.Parse($"{WriterUser}@{prosody.Domain}/load-{label}"),
            Password = FaultXmpp.PasswordOf(WriterUser),
            Host = prosody.Host,
            Port = prosody.Port,
            TrustedCertificate = prosody.Certificate,
            IqTimeout = TimeSpan.FromSeconds(30),
        });
        // Created before connecting so it sees the silos' presence from the start.
        var writer = new XmppStoreWriter(client, new XmppStoreWriterOptions { AttemptTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 5 });
        var load = new XmppLoadGenerator(client, writer, label, roots, writers, clock);
        try
        {
            await client.ConnectAsync(cancellationToken);
            await client.SubscribeAsync(Jid.Parse(siloAccount), cancellationToken);
            await client.SetPresenceAsync(cancellationToken: cancellationToken);
            var stopwatch = Stopwatch.StartNew();
            while (writer.AvailableSilos.Count < silos)
            {
                if (stopwatch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"The XMPP writer saw {writer.AvailableSilos.Count} of {silos} silos available within 60 s.");
                }
                await Task.Delay(100, cancellationToken);
            }
            return load;
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates every root as <c>{"items":[]}</c> over XMPP.</summary>
    public async Task CreateRootsAsync(CancellationToken cancellationToken)
    {
        var created = await Task.WhenAll(RootIds.Select((_, i) => WriteUntilAcknowledgedAsync(i, WriteOp.Put, """{"items":[]}""", $"create-{Prefix}-{i}", track: false, cancellationToken)));
        var failed = created.Where(w => !w.Acknowledged).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Could not create {failed.Count} roots over XMPP: {string.Join("; ", failed.Select(f => f.Rejected ?? "no receipt"))}");
        }
    }

    public void Start()
    {
        for (var i = 0; i < Writers; i++)
        {
            _loops.Add(Task.Run(() => WriteLoopAsync(_stop.Token), CancellationToken.None));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    /// <summary>Waits until <paramref name="count"/> writes whose acknowledged call started after <paramref name="since"/> were acknowledged.</summary>
    public async Task WaitForAcknowledgementsAsync(int count, TimeSpan since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (_writes.Count(w => w.AcknowledgedAttemptSentAt >= since) < count)
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Fewer than {count} XMPP writes acknowledged within {timeout.TotalSeconds:0} s (last failures: {string.Join(", ", _failures.TakeLast(5).Select(f => f.What))}).");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Until every root acknowledged a write whose successful call started at or after <paramref name="since"/>.</summary>
    public async Task<TimeSpan> WaitUntilRootsWriteAgainAsync(TimeSpan since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var firstAcks = Enumerable.Range(0, RootIds.Count)
                .Select(root => _writes.Where(w => w.RootIndex == root && w.AcknowledgedAttemptSentAt >= since).Select(w => w.AcknowledgedAt).Min())
                .ToList();
            if (firstAcks.All(at => at is not null))
            {
                return firstAcks.Max()!.Value - since;
            }
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"XMPP writes to {firstAcks.Count(at => at is null)} of {RootIds.Count} roots did not succeed again within {timeout.TotalSeconds:0} s (last failures: {string.Join(", ", _failures.TakeLast(5).Select(f => f.What))}).");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(WriteDeadline + TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Disposing after a failed test; the writers stop at their deadlines.
        }
        _writer.Dispose();
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var root = (int)(n % RootIds.Count);
            var value = $"{Prefix}-w{n.ToString(CultureInfo.InvariantCulture)}";
            Sent[value] = root;
            var record = await WriteUntilAcknowledgedAsync(root, WriteOp.Patch, $$"""[{"op":"add","path":"/items/-","value":"{{value}}"}]""", value, track: true, CancellationToken.None);
            _writes.Enqueue(record);
        }
    }

    private async Task<WriteRecord> WriteUntilAcknowledgedAsync(int root, WriteOp op, string json, string writeId, bool track, CancellationToken cancellationToken)
    {
        var firstSent = _clock.Elapsed;
        var deadline = firstSent + WriteDeadline;
        var attempts = 0;
        var target = $"{HttpLoadGenerator.RootType}/{RootIds[root]}";
        while (true)
        {
            var sentAt = _clock.Elapsed;
            string failure;
            try
            {
                var result = await _writer.WriteAsync(target, op, json, writeId: writeId, cancellationToken: cancellationToken);
                attempts += result.Retries + 1;
                if (result.Succeeded)
                {
                    return new WriteRecord(writeId, root, firstSent, attempts, _clock.Elapsed, sentAt, result.Duplicate, null);
                }
                if (result.Error.Kind == XmppWriteErrorKind.Refused)
                {
                    return new WriteRecord(writeId, root, firstSent, attempts, null, null, false, $"{result.Error.Condition}: {result.Error.Message}");
                }
                failure = result.Error.Kind.ToString();
            }
            catch (Exception exception) when (exception is XmppException or ObjectDisposedException or InvalidOperationException)
            {
                // The client is reconnecting (XMPP server restart): nothing was confirmed; send the same write id again.
                attempts++;
                failure = exception.GetType().Name;
            }
            if (track)
            {
                _failures.Enqueue(new FailedAttempt(_clock.Elapsed, root, failure));
            }
            if (_clock.Elapsed + Backoff > deadline)
            {
                return new WriteRecord(writeId, root, firstSent, attempts, null, null, false, null);
            }
            await Task.Delay(Backoff, cancellationToken);
        }
    }
}
