namespace Actors.TestInfrastructure.Redis;

/// <summary>Settings for a <see cref="RedisServer"/>.</summary>
public sealed record RedisServerOptions
{
    /// <summary>Append-only file on (the design's setting); off gives a purely in-memory Redis.</summary>
    public bool AppendOnly { get; init; } = true;

    /// <summary>When set, the server requires this password (<c>requirepass</c>) and clients must AUTH.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// With <see cref="Password"/>: clients log in as this ACL user (<c>user=…</c> in the connection string), which may do
    /// everything; the default user is switched off, so a client without the user name is refused.
    /// </summary>
    public string? User { get; init; }

    /// <summary>
    /// Also listen with TLS on <see cref="RedisServer.TlsPort"/>, with a throwaway self-signed certificate for
    /// <c>localhost</c> made by openssl in the server's directory (<see cref="RedisServer.CertificatePath"/>). The plain
    /// port stays open for the fixture's own probes and for clients that do not need TLS.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>How long a start may take before the test fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a graceful stop may take before the process tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
