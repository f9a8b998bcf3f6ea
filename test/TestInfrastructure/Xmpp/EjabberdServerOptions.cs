namespace Actors.TestInfrastructure.Xmpp;

/// <summary>Settings for an <see cref="EjabberdServer"/>.</summary>
public sealed record EjabberdServerOptions
{
    /// <summary>The served host; clients connect to 127.0.0.1 and name this domain.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>STARTTLS required with a self-signed certificate (default) or plaintext loopback.</summary>
    public XmppSecurity Security { get; init; } = XmppSecurity.StartTls;

    /// <summary>mod_stream_mgmt <c>resume_timeout</c> and <c>max_resume_timeout</c> (design: ≤ 5 s).</summary>
    public TimeSpan StreamResumeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a start may take before the test fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Register the node with epmd instead of a fixed <c>ERL_DIST_PORT</c>: needed for a node that joins a cluster,
    /// because with a fixed port Erlang assumes every peer listens on that same port (<c>join_cluster</c> then fails
    /// with <c>no_ping</c>). epmd is started by the first node if none runs, and outlives the fixture (it is shared).
    /// </summary>
    public bool UseEpmd { get; init; }

    /// <summary>A certificate to serve instead of generating one; the nodes of a cluster share one, so a client trusts all.</summary>
    public SelfSignedCertificate? Certificate { get; init; }

    /// <summary>
    /// Serve mod_http_api on a free port (<see cref="EjabberdServer.AdminApiUrl"/>), where the account
    /// <c>admin@Domain</c> (register it) may call <c>get_roster</c> and <c>send_stanza</c> with HTTP basic auth: what the
    /// silos' stale-presence repair uses (docs/xmpp-bridge.md).
    /// </summary>
    public bool AdminApi { get; init; }

    /// <summary>How long a graceful stop may take before the process tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
