namespace Actors.Gateway.Options;

/// <summary>
/// Settings of the HTTP gateway, bound from the configuration section <c>Gateway</c>
/// (environment: <c>Gateway__MaxRequestBodyBytes</c>, …). Where the cluster is comes from the <c>Actors</c> section.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Gateway";

    /// <summary>
    /// The largest request body accepted, in bytes; larger ones get <c>413</c> before any grain call. Also set as
    /// Kestrel's <c>MaxRequestBodySize</c>. Default 2 MiB: twice the 1 MiB document limit, which is measured on compact
    /// JSON, so an indented document or a patch envelope around a large value still reaches the grain, whose own
    /// limit then decides.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The <c>Retry-After</c> value, in seconds, sent with every <c>503</c>.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>How long <c>/readyz</c> waits for the cluster's membership answer before it reports not ready.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest pause between two attempts to connect to the cluster while it is unreachable. The pauses start near
    /// 0.5 s and double with every failure, with jitter, until they reach this (<see cref="Contracts.Hosting.Backoff"/>).
    /// </summary>
    public TimeSpan MaxConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>?expand=refs</c>: the most weak references one request may expand; beyond it the request gets <c>413</c>.
    /// Bounds fan-out, which grows with the power of <c>depth</c>.
    /// </summary>
    public int MaxExpandedRefs { get; set; } = 1000;

    /// <summary><c>?expand=refs</c>: the most bytes of referenced documents one response may inline; beyond it <c>413</c>.</summary>
    public long MaxExpandedBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Kestrel's limit on open connections; further ones wait in the accept queue. Bounds sockets and per-connection memory.</summary>
    public long MaxConcurrentConnections { get; set; } = 4096;

    /// <summary>
    /// Requests per second each caller may make on average (token bucket; 0 turns the limit off). A caller is the
    /// authenticated identity (API key holder, JWT subject) or, without credentials, the client's IP address. Beyond it:
    /// <c>429 rate-limited</c> with <c>Retry-After</c>. Health routes are not limited.
    /// </summary>
    public int RequestsPerSecondPerCaller { get; set; } = 2000;

    /// <summary>How many requests a caller may make at once above its rate (the bucket's size).</summary>
    public int BurstPerCaller { get; set; } = 4000;
}
