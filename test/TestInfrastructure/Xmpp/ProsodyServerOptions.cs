namespace Actors.TestInfrastructure.Xmpp;

/// <summary>Settings for a <see cref="ProsodyServer"/>.</summary>
public sealed record ProsodyServerOptions
{
    /// <summary>The VirtualHost; clients connect to 127.0.0.1 and name this domain.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>STARTTLS with a self-signed certificate (default) or plaintext loopback.</summary>
    public XmppSecurity Security { get; init; } = XmppSecurity.StartTls;

    /// <summary>
    /// <c>smacks_hibernation_time</c>: how long a dropped resumable session is kept before
    /// <c>unavailable</c> is broadcast. Prosody's 600 s default would hide a crashed client for ten minutes.
    /// Silos ask for no resumption, so the window does not apply to them: their crash shows at once.
    /// </summary>
    public TimeSpan SmacksHibernationTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>c2s_stanza_size_limit</c> in bytes; null keeps Prosody's default (256 KiB).</summary>
    public int? StanzaSizeLimit { get; init; }

    /// <summary>
    /// Load mod_limits with the project's per-client rate (<see cref="ProsodyServer.ClientLimitsConfig"/>, as
    /// <c>./actors up</c> and deploy/prosody/prosody.cfg.lua do). Off by default: tests that push many stanzas from
    /// ordinary accounts measure the bridge, not the throttle.
    /// </summary>
    public bool RateLimits { get; init; }

    /// <summary>Bare JIDs exempt from the rate limit (<c>unlimited_jids</c>), e.g. the silos' accounts.</summary>
    public IReadOnlyList<string> UnlimitedJids { get; init; } = [];

    /// <summary>Extra Lua lines appended to the global section of the config.</summary>
    public string? ExtraGlobalConfig { get; init; }

    /// <summary>How long a start may take before the test fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful stop may take before the process tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
