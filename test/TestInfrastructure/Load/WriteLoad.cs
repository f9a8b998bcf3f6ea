using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Actors.TestInfrastructure.Load;

/// <summary>
/// What the HTTP and XMPP load generators share: <see cref="Writers"/> concurrent loops, each adding one unique value
/// at a time to the <c>items</c> of one of <see cref="RootIds"/> (the value is also the write id) until it is
/// acknowledged or its deadline passes; the record of every write and failed attempt; and the waits scenarios use.
/// A subclass says how one write is sent, retried with the same write id, until acknowledged.
/// </summary>
public abstract class WriteLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<WriteRecord> _writes = new();
    private readonly ConcurrentQueue<FailedAttempt> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _next;

    /// <param name="transport">"HTTP" or "XMPP", for messages.</param>
    /// <param name="prefix">Put into root ids and values, so runs never mix.</param>
    /// <param name="roots">How many roots the writes are spread over.</param>
    /// <param name="writers">Concurrent writers.</param>
    /// <param name="clock">The scenario's clock; every time logged is read from it.</param>
    protected WriteLoad(string transport, string prefix, int roots, int writers, Stopwatch clock)
    {
        Transport = transport;
        Prefix = prefix;
        Writers = writers;
        Clock = clock;
        RootIds = [.. Enumerable.Range(0, roots).Select(i => $"{Prefix}-r{i.ToString(CultureInfo.InvariantCulture)}")];
    }

    /// <summary>Concurrent writers.</summary>
    public int Writers { get; }

    /// <summary>Prefix of every root id and value of this generator.</summary>
    public string Prefix { get; }

    /// <summary>The ids of the roots written (type <see cref="HttpLoadGenerator.RootType"/>).</summary>
    public IReadOnlyList<string> RootIds { get; }

    /// <summary>How long one write is retried before it is logged as not acknowledged.</summary>
    public TimeSpan WriteDeadline { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The indexes of the roots the writers spread their writes over; every root when null. Set before
    /// <see cref="Start"/>, e.g. to keep a probe away from a shard that is down.
    /// </summary>
    public IReadOnlyList<int>? Targets { get; set; }

    /// <summary>Every finished write so far.</summary>
    public IReadOnlyCollection<WriteRecord> Writes => _writes;

    /// <summary>Every failed attempt so far.</summary>
    public IReadOnlyCollection<FailedAttempt> Failures => _failures;

    /// <summary>Every value sent (acknowledged or not), including the writes still in flight.</summary>
    public ConcurrentDictionary<string, int> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>Acknowledged writes so far.</summary>
    public int AcknowledgedCount => _writes.Count(w => w.Acknowledged);

    protected string Transport { get; }

    protected Stopwatch Clock { get; }

    /// <summary>How long disposing waits for writers still inside a write, beyond <see cref="WriteDeadline"/>.</summary>
    protected abstract TimeSpan DisposeGrace { get; }

    /// <summary>Creates every root as <c>{"items":[]}</c> (idempotently, with retries).</summary>
    public async Task CreateRootsAsync(CancellationToken cancellationToken)
    {
        var created = await Task.WhenAll(RootIds.Select((_, i) => CreateRootAsync(i, $"create-{Prefix}-{i}", cancellationToken)));
        var failed = created.Where(w => !w.Acknowledged).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Could not create {failed.Count} roots over {Transport}: {string.Join("; ", failed.Select(f => f.Rejected ?? "no acknowledgement"))}");
        }
    }

    /// <summary>Starts the writers.</summary>
    public void Start()
    {
        for (var i = 0; i < Writers; i++)
        {
            _loops.Add(Task.Run(() => WriteLoopAsync(_stop.Token), CancellationToken.None));
        }
    }

    /// <summary>Stops starting new writes and waits until every writer finished its current one (acknowledged or deadline).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    /// <summary>Waits until <paramref name="count"/> writes whose acknowledged attempt was sent after <paramref name="since"/> were acknowledged.</summary>
    public async Task WaitForAcknowledgementsAsync(int count, TimeSpan since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (_writes.Count(w => w.AcknowledgedAttemptSentAt >= since) < count)
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Fewer than {count} {Transport} writes acknowledged within {timeout.TotalSeconds:0} s ({LastFailures()}).");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until every root in <paramref name="roots"/> acknowledged a write whose successful attempt was sent at or
    /// after <paramref name="since"/>, and returns how long after <paramref name="since"/> the last of them came back.
    /// </summary>
    public async Task<TimeSpan> WaitUntilRootsWriteAgainAsync(IReadOnlyCollection<int> roots, TimeSpan since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var firstAcks = roots.Select(root => _writes
                    .Where(w => w.RootIndex == root && w.AcknowledgedAttemptSentAt >= since)
                    .Select(w => w.AcknowledgedAt)
                    .Min())
                .ToList();
            if (firstAcks.All(at => at is not null))
            {
                return firstAcks.Count == 0 ? TimeSpan.Zero : firstAcks.Max()!.Value - since;
            }
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"{Transport} writes to {firstAcks.Count(at => at is null)} of {roots.Count} roots did not succeed again within {timeout.TotalSeconds:0} s ({LastFailures()}).");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The same, for every root of this generator.</summary>
    public Task<TimeSpan> WaitUntilRootsWriteAgainAsync(TimeSpan since, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilRootsWriteAgainAsync([.. Enumerable.Range(0, RootIds.Count)], since, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(WriteDeadline + DisposeGrace);
        }
        catch (TimeoutException)
        {
            // Disposing after a failed test; the writers stop at their deadlines.
        }
        await DisposeTransportAsync();
        _stop.Dispose();
    }

    /// <summary>Creates root <paramref name="root"/> as <c>{"items":[]}</c>, retried until acknowledged, without recording failures.</summary>
    protected abstract Task<WriteRecord> CreateRootAsync(int root, string writeId, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="value"/> to root <paramref name="root"/>'s items, retried with the same write id until acknowledged or the deadline.</summary>
    protected abstract Task<WriteRecord> AddItemAsync(int root, string value);

    protected abstract ValueTask DisposeTransportAsync();

    /// <summary>Records a failed attempt of a tracked write.</summary>
    protected void RecordFailure(int root, string what) => _failures.Enqueue(new FailedAttempt(Clock.Elapsed, root, what));

    /// <summary>The JSON Patch every load write sends.</summary>
    protected static string AddItemPatch(string value) => $$"""[{"op":"add","path":"/items/-","value":"{{value}}"}]""";

    private string LastFailures() => $"last failures: {string.Join(", ", _failures.TakeLast(5).Select(f => f.What))}";

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var root = Targets is { Count: > 0 } targets ? targets[(int)(n % targets.Count)] : (int)(n % RootIds.Count);
            var value = $"{Prefix}-w{n.ToString(CultureInfo.InvariantCulture)}";
            Sent[value] = root;
            // A write already begun is never abandoned because the scenario ends: only its own deadline stops it.
            _writes.Enqueue(await AddItemAsync(root, value));
        }
    }
}
