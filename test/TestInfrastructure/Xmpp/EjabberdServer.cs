using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>
/// A real ejabberd on 127.0.0.1 with a free c2s port, its own config, ctl config, Mnesia spool
/// and logs in a temp directory owned by the <c>ejabberd</c> user.
/// </summary>
/// <remarks>
/// <para><c>ejabberdctl</c> always re-runs itself as the <c>ejabberd</c> user (through <c>su</c>),
/// so the tree is bash → su → sh → beam.smp → erl_child_setup. Erlang distribution uses a fixed
/// free port (<c>ERL_DIST_PORT</c>, bound to 127.0.0.1) so no epmd daemon is started or left behind.</para>
/// <para>The creator owns it: dispose runs <c>ejabberdctl stop</c>, kills leftovers and deletes the directory.</para>
/// </remarks>
public sealed class EjabberdServer : IXmppTestServer
{
    // Crash dumps off; Erlang distribution listens on loopback only.
    private const string ErlOptions = "-env ERL_CRASH_DUMP_BYTES 0 -kernel inet_dist_use_interface {127,0,0,1}";
    private const string EmptyMap = "{}";

    private readonly EjabberdServerOptions _options;
    private readonly TempDirectory _directory;
    private readonly string _ejabberdctl;
    private readonly string _nodeName;
    private SelfSignedCertificate? _certificate;
    private X509Certificate2? _loadedCertificate;
    private ManagedProcess? _process;
    private bool _configured;

    /// <summary>Allocates ports and a directory; call <see cref="StartAsync"/> to run it.</summary>
    public EjabberdServer(EjabberdServerOptions? options = null)
    {
        _options = options ?? new EjabberdServerOptions();
        _ejabberdctl = ExternalTool.Require("ejabberdctl", "ejabberd");
        if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith("ejabberd:", StringComparison.Ordinal)))
        {
            throw ExternalTool.Missing("the ejabberd system user", "ejabberd");
        }

        Port = FreePort.Allocate();
        DistributionPort = FreePort.Allocate();
        AdminApiPort = _options.AdminApi ? FreePort.Allocate() : 0;
        _directory = TempDirectory.Create("ejabberd");
        _nodeName = $"actors{Guid.NewGuid().ToString("N")[..8]}@localhost";
        ConfigPath = _directory.Combine("ejabberd.yml");
        ControlConfigPath = _directory.Combine("ejabberdctl.cfg");
    }

    /// <inheritdoc/>
    public string Kind => "ejabberd";

    /// <inheritdoc/>
    public string Domain => _options.Domain;

    /// <inheritdoc/>
    public string Host => "127.0.0.1";

    /// <inheritdoc/>
    public int Port { get; }

    /// <summary>The mod_http_api base URL (<c>http://127.0.0.1:PORT/api</c>) with <see cref="EjabberdServerOptions.AdminApi"/>, else null.</summary>
    public Uri? AdminApiUrl => _options.AdminApi ? new Uri($"http://127.0.0.1:{AdminApiPort.ToString(CultureInfo.InvariantCulture)}/api") : null;

    /// <summary>The port of <see cref="AdminApiUrl"/>; 0 without it.</summary>
    public int AdminApiPort { get; }

    /// <summary>The Erlang node name, <c>actorsXXXXXXXX@localhost</c>.</summary>
    public string NodeName => _nodeName;

    /// <summary>Erlang distribution port (what <c>ejabberdctl</c> talks to); unused with <see cref="EjabberdServerOptions.UseEpmd"/>.</summary>
    public int DistributionPort { get; }

    /// <inheritdoc/>
    public XmppSecurity Security => _options.Security;

    /// <summary>The generated ejabberd.yml.</summary>
    public string ConfigPath { get; }

    /// <summary>The generated ejabberdctl.cfg.</summary>
    public string ControlConfigPath { get; }

    /// <summary>The temp directory holding configs, spool, logs and certificate.</summary>
    public string Directory => _directory.Path;

    /// <inheritdoc/>
    public string? CertificatePath => _certificate?.CertificatePath;

    /// <inheritdoc/>
    public X509Certificate2? Certificate => _certificate is null ? null : _loadedCertificate ??= _certificate.Load();

    /// <summary>The running <c>ejabberdctl foreground</c> process, or null before the first start.</summary>
    public ManagedProcess? Process => _process;

    /// <inheritdoc/>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>Creates and starts a server.</summary>
    public static Task<EjabberdServer> StartNewAsync(EjabberdServerOptions? options = null, CancellationToken cancellationToken = default)
        => TestServer.StartAsync(new EjabberdServer(options), cancellationToken);

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"ejabberd on port {Port} is already running.");
        }

        var stopwatch = Stopwatch.StartNew();
        await ConfigureOnceAsync(cancellationToken).ConfigureAwait(false);
        _process?.Dispose();
        _process = ManagedProcess.Start(_ejabberdctl, [.. CtlArguments, "foreground"], workingDirectory: _directory.Path);

        // "ejabberdctl started" polls every 2 s through a fresh Erlang VM; the log line is faster
        // and is written only after the listener is up.
        var marker = $"Start accepting TCP connections at 127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)} for ejabberd_c2s";
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(_options.StartTimeout);
        try
        {
            await _process.WaitForOutputAsync(line => line.Contains(marker, StringComparison.Ordinal), _options.StartTimeout, timeoutSource.Token).ConfigureAwait(false);
            await _process.WaitForPortAsync(Port, _options.StartTimeout, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"ejabberd failed to start on 127.0.0.1:{Port} with config {ConfigPath}: {ex.Message}", ex);
        }

        LastStartDuration = stopwatch.Elapsed;
    }

    /// <inheritdoc/>
    public async Task RegisterAsync(string user, string password, CancellationToken cancellationToken = default) =>
        (await RunCtlAsync(["register", user, Domain, password], cancellationToken).ConfigureAwait(false))
            .EnsureSuccess($"ejabberdctl register {user} {Domain}");

    /// <summary>Runs <c>ejabberdctl</c> with this server's configs and the given command.</summary>
    public Task<ProcessResult> RunCtlAsync(IEnumerable<string> command, CancellationToken cancellationToken = default) =>
        ManagedProcess.RunAsync(_ejabberdctl, [.. CtlArguments, .. command], TimeSpan.FromSeconds(30), _directory.Path, cancellationToken: cancellationToken);

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        var tree = _process.GetProcessTree();
        try
        {
            await RunCtlAsync(["stop"], cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Fall through to the kill below.
        }

        if (!await _process.WaitForExitAsync(_options.StopTimeout, cancellationToken).ConfigureAwait(false))
        {
            _process.Kill();
        }

        // beam.smp's helpers (erl_child_setup, eimp) may outlive the wrapper briefly.
        var deadline = Stopwatch.StartNew();
        while (tree.Any(p => p.IsAlive) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        _process.Kill();
        foreach (var leftover in tree.Where(p => p.IsAlive))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(leftover.Pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
    }

    /// <inheritdoc/>
    public void Kill() => _process?.Kill();

    /// <summary>Stops the server and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null)
            {
                await StopAsync().ConfigureAwait(false);
                await _process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _loadedCertificate?.Dispose();
            _directory.Dispose();
        }
    }

    private string[] CtlArguments => ["--config", ConfigPath, "--ctl-config", ControlConfigPath];

    private async Task ConfigureOnceAsync(CancellationToken cancellationToken)
    {
        if (_configured)
        {
            return;
        }

        var spool = _directory.Combine("spool");
        var logs = _directory.Combine("logs");
        System.IO.Directory.CreateDirectory(spool);
        System.IO.Directory.CreateDirectory(logs);
        if (Security == XmppSecurity.StartTls)
        {
            _certificate = _options.Certificate ?? await SelfSignedCertificate.GenerateAsync(_directory.Path, Domain, cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(ConfigPath, BuildConfig(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(
            ControlConfigPath,
            $"""
            # Written by Actors.TestInfrastructure.EjabberdServer. Replaces /etc/ejabberd/ejabberdctl.cfg.
            ERLANG_NODE={_nodeName}
            SPOOL_DIR={spool}
            LOGS_DIR={logs}
            EJABBERD_CONFIG_PATH={ConfigPath}
            EJABBERD_PID_PATH={_directory.Combine("ejabberd.pid")}
            {(_options.UseEpmd ? "# Registered with epmd: a clustered node must be found by its name." : $"# A fixed distribution port means no epmd daemon is started (and none left behind).\nERL_DIST_PORT={DistributionPort}")}
            EJABBERD_BYPASS_WARNINGS=true
            ERL_OPTIONS="{ErlOptions}"

            """,
            cancellationToken).ConfigureAwait(false);

        // ejabberdctl re-runs itself as the ejabberd user, which must own everything it writes.
        (await ManagedProcess.RunAsync(
            ExternalTool.Require("chown", "coreutils"),
            ["-R", "ejabberd:ejabberd", _directory.Path],
            TimeSpan.FromSeconds(10),
            cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess("chown of the ejabberd temp directory");
        _configured = true;
    }

    private string BuildConfig()
    {
        var tls = Security == XmppSecurity.StartTls;
        var resume = ((int)_options.StreamResumeTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var adminListener = _options.AdminApi
            ? $"  -\n    port: {AdminApiPort.ToString(CultureInfo.InvariantCulture)}\n    ip: \"127.0.0.1\"\n    module: ejabberd_http\n    request_handlers:\n      /api: mod_http_api\n"
            : string.Empty;
        var adminModule = _options.AdminApi ? "  mod_http_api: " + EmptyMap + "\n" : string.Empty;
        var certificates = _certificate is null ? string.Empty : $"certfiles:\n  - \"{_certificate.CombinedPath}\"\n";
        return $"""
            # Written by Actors.TestInfrastructure.EjabberdServer for one test run.
            hosts:
              - "{Domain}"
            loglevel: info
            {certificates}listen:
              -
                port: {Port}
                ip: "127.0.0.1"
                module: ejabberd_c2s
                starttls: {(tls ? "true" : "false")}
                starttls_required: {(tls ? "true" : "false")}
                max_stanza_size: 262144
                shaper: none
            {adminListener}s2s_access: none
            auth_method: internal
            auth_password_format: scram
            acl:
              local:
                user_regexp: ""
              admin:
                user:
                  - "admin@{Domain}"
            api_permissions:
              "console commands":
                from: [ejabberd_ctl]
                who: all
                what: "*"
              "presence repair":
                from: [mod_http_api]
                who:
                  access:
                    allow:
                      - acl: admin
                what: [get_roster, send_stanza]
            access_rules:
              local:
                allow: local
              c2s:
                allow: all
              register:
                deny: all
            shaper_rules:
              c2s_shaper: none
            modules:
              mod_disco: {EmptyMap}
              mod_ping: {EmptyMap}
              mod_roster: {EmptyMap}
              mod_offline: {EmptyMap}
              mod_caps: {EmptyMap}
              mod_carboncopy: {EmptyMap}
              mod_admin_extra: {EmptyMap}
            {adminModule}  mod_stream_mgmt:
                resume_timeout: {resume}
                max_resume_timeout: {resume}

            """;
    }
}
