using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Actors.TestInfrastructure.Load;

/// <summary>
/// Writes through the gateway like a careful client: <see cref="Writers"/> concurrent loops, each sending one JSON
/// Patch <c>add</c> of a unique value at a time with <c>Idempotency-Key</c> = that value, retried with the SAME key on
/// 5xx, timeouts and connection errors, with exponential back-off, until acknowledged (2xx) or the per-write deadline.
/// Every write is logged as acknowledged or not, every failed request with its time.
/// </summary>
/// <remarks>
/// The target is read before every request, so a test can move the gateway (restart it on another port) under load.
/// </remarks>
public sealed class HttpLoadGenerator : WriteLoad
{
    public const string RootType = "load";

    private static readonly MediaTypeHeaderValue JsonPatch = new("application/json-patch+json");
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly Func<Uri> _target;
    private readonly HttpClient _http;

    /// <param name="target">The gateway's current base address.</param>
    /// <param name="label">Put into root ids and values, so runs never mix.</param>
    /// <param name="roots">How many roots the writes are spread over.</param>
    /// <param name="writers">Concurrent writers.</param>
    /// <param name="clock">The scenario's clock; every time logged is read from it.</param>
    public HttpLoadGenerator(Func<Uri> target, string label, int roots, int writers, Stopwatch clock)
        : base("HTTP", $"{label}-{Guid.NewGuid().ToString("N")[..8]}", roots, writers, clock)
    {
        _target = target;
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

    /// <summary>
    /// How long one request may take. Longer than the gateway's Orleans response timeout (10 s), so a call stuck on a
    /// dead silo comes back as the gateway's 503 rather than as a client-side timeout.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The URL path of root <paramref name="index"/>.</summary>
    public string PathOf(int index) => $"v1/roots/{RootType}/{RootIds[index]}";

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

    protected override TimeSpan DisposeGrace => AttemptTimeout;

    protected override Task<WriteRecord> CreateRootAsync(int root, string writeId, CancellationToken cancellationToken) =>
        SendUntilAcknowledgedAsync(HttpMethod.Put, root, """{"items":[]}""", new MediaTypeHeaderValue("application/json"), writeId, track: false, cancellationToken);

    protected override Task<WriteRecord> AddItemAsync(int root, string value) =>
        SendUntilAcknowledgedAsync(HttpMethod.Patch, root, AddItemPatch(value), JsonPatch, value, track: true, CancellationToken.None);

    protected override ValueTask DisposeTransportAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<WriteRecord> SendUntilAcknowledgedAsync(
        HttpMethod method, int root, string body, MediaTypeHeaderValue contentType, string key, bool track, CancellationToken cancellationToken)
    {
        var firstSent = Clock.Elapsed;
        var deadline = firstSent + WriteDeadline;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var sentAt = Clock.Elapsed;
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
                    return new WriteRecord(key, root, firstSent, attempt, Clock.Elapsed, sentAt, duplicate, null);
                }
                // A 500 is a bug even when a retry would succeed: the gateway answers every cluster or storage failure with 503.
                if (response.StatusCode == HttpStatusCode.InternalServerError
                    || ((int)response.StatusCode < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)))
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
                RecordFailure(root, failure);
            }
            if (Clock.Elapsed + backoff > deadline)
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
