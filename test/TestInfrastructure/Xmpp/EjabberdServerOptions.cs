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

    /// <summary>How long a graceful stop may take before the process tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
