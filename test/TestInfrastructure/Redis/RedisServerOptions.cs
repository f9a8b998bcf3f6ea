namespace Actors.TestInfrastructure.Redis;

/// <summary>Settings for a <see cref="RedisServer"/>.</summary>
public sealed record RedisServerOptions
{
    /// <summary>Append-only file on (the design's setting); off gives a purely in-memory Redis.</summary>
    public bool AppendOnly { get; init; } = true;

    /// <summary>How long a start may take before the test fails.</summary>
    /// <summary>When set, the server requires this password (<c>requirepass</c>) and clients must AUTH.</summary>
    public string? Password { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a graceful stop may take before the process tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
