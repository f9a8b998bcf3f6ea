using System.Diagnostics;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Redis;

/// <summary>
/// A real redis-server on 127.0.0.1 with a free port and its own temp directory, AOF on
/// (<c>appendfsync everysec</c>). Can be stopped, killed and started again on the same port and
/// data directory, so tests can watch data survive a restart.
/// </summary>
/// <remarks>The creator owns it: dispose stops the server, kills any leftover process and deletes the directory.</remarks>
public sealed class RedisServer : ITestServer
{
    private readonly RedisServerOptions _options;
    private readonly TempDirectory _directory;
    private readonly string _executable;
    private ManagedProcess? _process;

    /// <summary>Allocates a port and a directory; call <see cref="StartAsync"/> to run it.</summary>
    public RedisServer(RedisServerOptions? options = null)
    {
        _options = options ?? new RedisServerOptions();
        _executable = ExternalTool.Require("redis-server", "redis-server");
        if (_options.User is not null && _options.Password is null)
        {
            throw new ArgumentException("An ACL user needs a password.", nameof(options));
        }

        Port = FreePort.Allocate();
        TlsPort = _options.Tls ? FreePort.Allocate() : null;
        _directory = TempDirectory.Create("redis");
    }

    /// <summary>The TLS port on 127.0.0.1 (<see cref="RedisServerOptions.Tls"/>), or null.</summary>
    public int? TlsPort { get; }

    /// <summary>The PEM certificate the TLS port presents (self-signed, <c>CN=localhost</c>), once started; clients must trust it.</summary>
    public string? CertificatePath { get; private set; }

    /// <summary>
    /// Connection string for the TLS port: <c>127.0.0.1:TLSPORT,ssl=true,sslHost=localhost</c> (the certificate's name),
    /// with the credentials of <see cref="ConnectionString"/>.
    /// </summary>
    public string TlsConnectionString => TlsPort is { } tls
        ? $"127.0.0.1:{tls}{Credentials},ssl=true,sslHost=localhost"
        : throw new InvalidOperationException("This Redis was started without TLS.");

    private string Credentials => (_options.User is { } user ? $",user={user}" : string.Empty) + (_options.Password is { } password ? $",password={password}" : string.Empty);

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis-style connection string: <c>127.0.0.1:PORT</c>, with <c>user=…</c> and <c>password=…</c> when required.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}{Credentials}";

    /// <summary>Data directory (holds the AOF).</summary>
    public string DataDirectory => _directory.Path;

    /// <summary>The running redis-server process, or null when stopped.</summary>
    public ManagedProcess? Process => _process;

    /// <summary>How long the last <see cref="StartAsync"/> took until PING answered.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>Creates and starts a server.</summary>
    public static Task<RedisServer> StartNewAsync(RedisServerOptions? options = null, CancellationToken cancellationToken = default)
        => TestServer.StartAsync(new RedisServer(options), cancellationToken);

    /// <summary>Starts redis-server (again) on the same port and directory and waits until it answers PING.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"Redis on port {Port} is already running.");
        }

        _process?.Dispose();
        if (_options.Tls && CertificatePath is null)
        {
            CertificatePath = (await Xmpp.SelfSignedCertificate.GenerateAsync(_directory.Path, "localhost", cancellationToken).ConfigureAwait(false)).CertificatePath;
        }

        string[] tls = TlsPort is { } tlsPort
            ?
            [
                "--tls-port", tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tls-cert-file", CertificatePath!, "--tls-key-file", Path.ChangeExtension(CertificatePath!, ".key"),
                "--tls-auth-clients", "no",
            ]
            : [];
        // ACL: a user that may do everything, and no default user (a client that names no user is refused).
        string[] auth = (_options.User, _options.Password) switch
        {
            ({ } user, { } password) => ["--user", "default", "off", "--user", user, "on", $">{password}", "~*", "&*", "+@all"],
            (null, { } password) => ["--requirepass", password],
            _ => [],
        };
        var stopwatch = Stopwatch.StartNew();
        _process = ManagedProcess.Start(
            _executable,
            [
                "--bind", "127.0.0.1",
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--dir", _directory.Path,
                "--appendonly", _options.AppendOnly ? "yes" : "no",
                "--appendfsync", "everysec",
                "--save", string.Empty,
                "--daemonize", "no",
                "--protected-mode", "yes",
                "--logfile", string.Empty,
                .. auth,
                .. tls,
            ],
            workingDirectory: _directory.Path);
        await RedisReadiness.WaitForPongAsync(_process, Port, _options.User, _options.Password, "redis-server", _options.StartTimeout, cancellationToken).ConfigureAwait(false);
        LastStartDuration = stopwatch.Elapsed;
    }

    /// <summary>Stops gracefully (SIGTERM: Redis flushes the AOF), killing the tree after the stop timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is null)
        {
            return;
        }

        await _process.StopAsync(_options.StopTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills redis-server with SIGKILL, as a crash would (up to a second of AOF writes may be lost).</summary>
    public void Kill() => _process?.Kill();

    /// <summary>Stops the server and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null)
            {
                await _process.StopAsync(_options.StopTimeout).ConfigureAwait(false);
                await _process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _directory.Dispose();
        }
    }
}
