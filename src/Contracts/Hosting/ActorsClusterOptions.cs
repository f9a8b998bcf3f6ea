namespace Actors.Contracts.Hosting;

/// <summary>
/// Where the cluster is: shared by silos and clients, bound from the configuration section <c>Actors</c>
/// (environment: <c>Actors__Redis</c>, <c>Actors__ClusterId</c>, …).
/// </summary>
public sealed class ActorsClusterOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors";

    /// <summary>
    /// StackExchange.Redis connection string (e.g. <c>127.0.0.1:6379</c>) of the Redis that holds membership and
    /// grain state. Null or empty: the embedded default (one silo, localhost clustering, in-memory storage).
    /// </summary>
    /// <remarks>May carry a password; <see cref="OptionsFormatter"/> logs it without (<see cref="RedisConnectionSecretAttribute"/>).</remarks>
    [RedisConnectionSecret]
    public string? Redis { get; set; }

    /// <summary>The Orleans cluster id; silos and clients must agree on it.</summary>
    public string ClusterId { get; set; } = "actors";

    /// <summary>The Orleans service id; keeps grain state stable across cluster redeployments.</summary>
    public string ServiceId { get; set; } = "actors";

    /// <summary>In the embedded default (no <see cref="Redis"/>): the silo gateway port clients connect to.</summary>
    public int LocalGatewayPort { get; set; } = 30000;

    /// <summary>Mutual TLS on every Orleans connection (<c>Actors:Tls</c>); off unless a certificate is configured.</summary>
    public ClusterTlsOptions Tls { get; set; } = new();

    /// <summary>True when <see cref="Redis"/> is configured.</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
