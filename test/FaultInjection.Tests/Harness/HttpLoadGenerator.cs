using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// Writes through the gateway like a careful client: <see cref="Writers"/> concurrent loops, each sending one JSON
/// Patch <c>add</c> of a unique value at a time with <c>Idempotency-Key</c> = that value, retried with the SAME key on
/// 5xx, timeouts and connection errors, with exponential back-off, until acknowledged (2xx) or the per-write deadline.
/// Every write is logged as acknowledged or not, every failed request with its time.
/// </summary>
/// <remarks>
/// The target is read before every request, so a test can move the gateway (restart it on another port) under load.
/// </remarks>
internal sealed class HttpLoadGenerator : IAsyncDisposable
{
    public const string RootType = "load";

    private static readonly MediaTypeHeaderValue JsonPatch = new("application/json-patch+json");
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly Func<Uri> _target;
    private readonly Stopwatch _clock;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<WriteRecord> _writes = new();
    private readonly ConcurrentQueue<FailedAttempt> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _next;

    /// <param name="target">The gateway's current base address.</param>
    /// <param name="label">Put into root ids and values, so runs never mix.</param>
    /// <param name="roots">How many roots the writes are spread over.</param>
    /// <param name="writers">Concurrent writers.</param>
    /// <param name="clock">The scenario's clock; every time logged is read from it.</param>
    public HttpLoadGenerator(Func<Uri> target, string label, int roots, int writers, Stopwatch clock)
    {
        _target = target;
        _clock = clock;
        Writers = writers;
        var run = Guid.NewGuid().ToString("N")[..8];
        Prefix = $"{label}-{run}";
        RootIds = [.. Enumerable.Range(0, roots).Select(i => $"{Prefix}-r{i.ToString(CultureInfo.InvariantCulture)}")];
        _http = new HttpClient(new SocketsHttpHandler
        {
            // A killed gateway's port refuses at once; a hung one must not hold a writer long.
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            // Per-attempt timeouts come from AttemptTimeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Concurrent writers.</summary>
    public int Writers { get; }

    /// <summary>Prefix of every root id and value of this generator.</summary>
    public string Prefix { get; }

    /// <summary>The ids of the roots written (type <see cref="RootType"/>).</summary>
    public IReadOnlyList<string> RootIds { get; }

    /// <summary>
    /// How long one request may take. Longer than the gateway's Orleans response timeout (10 s), so a call stuck on a
    /// dead silo comes back as the gateway's 503 rather than as a client-side timeout.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one write is retried before it is logged as not acknowledged.</summary>
    public TimeSpan WriteDeadline { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Every finished write so far.</summary>
    public IReadOnlyCollection<WriteRecord> Writes => _writes;

    /// <summary>Every failed request so far.</summary>
    public IReadOnlyCollection<FailedAttempt> Failures => _failures;

    /// <summary>Every value sent (acknowledged or not), including the writes still in flight.</summary>
    public ConcurrentDictionary<string, int> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>The URL path of root <paramref name="index"/>.</summary>
    public string PathOf(int index) => $"v1/roots/{RootType}/{RootIds[index]}";

    /// <summary>Creates every root as <c>{"items":[]}</c> (idempotently, with retries).</summary>
    public async Task CreateRootsAsync(CancellationToken cancellationToken)
    {
        var created = await Task.WhenAll(RootIds.Select((_, i) =>
            SendUntilAcknowledgedAsync(HttpMethod.Put, i, """{"items":[]}""", new MediaTypeHeaderValue("application/json"), $"create-{Prefix}-{i}", track: false, cancellationToken)));
        var failed = created.Where(w => !w.Acknowledged).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Could not create {failed.Count} roots: {string.Join("; ", failed.Select(f => f.Rejected ?? "no answer"))}");
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

    /// <summary>Acknowledged writes so far.</summary>
    public int AcknowledgedCount => _writes.Count(w => w.Acknowledged);

    /// <summary>Waits until <paramref name="count"/> writes sent after <paramref name="since"/> were acknowledged.</summary>
    public async Task WaitForAcknowledgementsAsync(int count, TimeSpan since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (_writes.Count(w => w.AcknowledgedAttemptSentAt >= since) < count)
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Fewer than {count} writes acknowledged within {timeout.TotalSeconds:0} s (last failures: {string.Join(", ", _failures.TakeLast(5).Select(f => f.What))}).");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until every root in <paramref name="roots"/> acknowledged a write whose successful request was sent at or
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
                    $"Writes to {firstAcks.Count(at => at is null)} of {roots.Count} roots did not succeed again within {timeout.TotalSeconds:0} s " +
                    $"(last failures: {string.Join(", ", _failures.TakeLast(5).Select(f => f.What))}).");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Reads every root's <c>items</c> through the gateway, retrying until it answers.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> ReadAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = new List<IReadOnlyList<string>>();
        for (var i = 0; i < RootIds.Count; i++)
        {
            result.Add(await ReadItemsAsync(i, timeout, cancellationToken));
        }
        return result;
    }

    /// <summary>Reads the <c>items</c> of other roots of type <see cref="RootType"/> (another generator's) through the gateway.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> ReadAllAsync(IReadOnlyList<string> rootIds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = new List<IReadOnlyList<string>>();
        foreach (var id in rootIds)
        {
            result.Add(await ReadItemsAsync($"v1/roots/{RootType}/{id}", timeout, cancellationToken));
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(WriteDeadline + AttemptTimeout);
        }
        catch (TimeoutException)
        {
            // Disposing after a failed test; the writers stop at their deadlines.
        }
        _http.Dispose();
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
            // A write already begun is never abandoned because the scenario ends: only its own deadline stops it.
            var record = await SendUntilAcknowledgedAsync(
                HttpMethod.Patch, root, $$"""[{"op":"add","path":"/items/-","value":"{{value}}"}]""", JsonPatch, value, track: true, CancellationToken.None);
            _writes.Enqueue(record);
        }
    }

    private async Task<WriteRecord> SendUntilAcknowledgedAsync(
        HttpMethod method, int root, string body, MediaTypeHeaderValue contentType, string key, bool track, CancellationToken cancellationToken)
    {
        var firstSent = _clock.Elapsed;
        var deadline = firstSent + WriteDeadline;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var sentAt = _clock.Elapsed;
            string failure;
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(_target(), PathOf(root)));
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = contentType;
                request.Headers.Add("Idempotency-Key", key);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(AttemptTimeout);
                using var response = await _http.SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    var duplicate = JsonDocument.Parse(text).RootElement.GetProperty("duplicate").GetBoolean();
                    return new WriteRecord(key, root, firstSent, attempt, _clock.Elapsed, sentAt, duplicate, null);
                }
                if ((int)response.StatusCode < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
                {
                    return new WriteRecord(key, root, firstSent, attempt, null, null, false, $"{(int)response.StatusCode}: {text}");
                }
                failure = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "client timeout";
            }
            catch (HttpRequestException exception)
            {
                failure = exception.HttpRequestError == HttpRequestError.Unknown ? nameof(HttpRequestException) : exception.HttpRequestError.ToString();
            }
            if (track)
            {
                _failures.Enqueue(new FailedAttempt(_clock.Elapsed, root, failure));
            }
            if (_clock.Elapsed + backoff > deadline)
            {
                return new WriteRecord(key, root, firstSent, attempt, null, null, false, null);
            }
            await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(50)), cancellationToken);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    private Task<IReadOnlyList<string>> ReadItemsAsync(int root, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadItemsAsync(PathOf(root), timeout, cancellationToken);

    private async Task<IReadOnlyList<string>> ReadItemsAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        string last = "(none)";
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(AttemptTimeout);
                using var response = await _http.GetAsync(new Uri(_target(), path), attempt.Token);
                var text = await response.Content.ReadAsStringAsync(attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return [.. JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetString()!)];
                }
                last = $"{(int)response.StatusCode}: {text}";
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = exception.GetType().Name;
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"Could not read {path} within {timeout.TotalSeconds:0} s; last answer {last}.");
    }
}
