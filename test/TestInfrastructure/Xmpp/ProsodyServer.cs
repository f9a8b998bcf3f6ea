using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>
/// A real Prosody on 127.0.0.1 with a free c2s port, its own config, data and pidfile in a temp
/// directory. No s2s, no HTTP, no components, and no mod_limits unless asked for
/// (<see cref="ProsodyServerOptions.RateLimits"/>).
/// </summary>
/// <remarks>
/// <para>Authentication is <c>internal_hashed</c>. Prosody 0.12.3 then offers SCRAM-SHA-1 and
/// PLAIN only (no SCRAM-SHA-256; SCRAM-SHA-1-PLUS only where it can do channel binding), and
/// PLAIN only after TLS unless plaintext mode allows it.</para>
/// <para>The creator owns it: dispose stops the server, kills leftovers and deletes the directory.</para>
/// </remarks>
public sealed class ProsodyServer : IXmppTestServer
{
    /// <summary>
    /// The Lua garbage collector setting of every Prosody we run (also in deploy/prosody/prosody.cfg.lua and the
    /// config <c>./actors up</c> writes). Prosody 0.12 defaults to the incremental collector with a pause of 105 %,
    /// i.e. a collection cycle almost all the time; Lua 5.4's generational mode measured about 40 % less Prosody CPU
    /// per message round trip here (docs/xmpp.md, Performance). On a Lua older than 5.4 Prosody logs an error and
    /// keeps its default.
    /// </summary>
    public const string LuaGcConfig = "gc = { mode = \"generational\" }";

    /// <summary>
    /// The network setting of every Prosody we run (also in deploy/prosody/prosody.cfg.lua and the config
    /// <c>./actors up</c> writes): Prosody 0.12 leaves Nagle's algorithm on for client connections, so a small stanza
    /// written while the previous one is unacknowledged waits for the peer's ACK. Turning it off measured 1.73× the XMPP
    /// writes per second through one Prosody, with the machine half idle before (docs/performance.md, "Idle thread-pool
    /// workers and Nagle").
    /// </summary>
    public const string NoNagleConfig = "network_settings = { nagle = false }";

    /// <summary>
    /// The per-client rate limit of every Prosody users run (deploy/prosody/prosody.cfg.lua, the config
    /// <c>./actors up</c> writes) and of a fixture with <see cref="ProsodyServerOptions.RateLimits"/>: mod_limits
    /// reads at most 32 kB/s from each client (Prosody 0.12's epoll backend pauses the connection after each read for
    /// as long as its bytes are worth; the burst applies to the select backend only). The silos' accounts are exempt
    /// through <c>unlimited_jids</c> (docs/security.md).
    /// </summary>
    public const string ClientLimitsConfig = "limits = { c2s = { rate = \"32kb/s\", burst = \"4s\" } }";

    private const string ReadyMarker = "actors-fixture: server-started";
    private const string GcMarker = "actors-fixture: lua-gc";

    private readonly ProsodyServerOptions _options;
    private readonly TempDirectory _directory;
    private readonly string _prosody;
    private readonly string _prosodyctl;
    private SelfSignedCertificate? _certificate;
    private X509Certificate2? _loadedCertificate;
    private ManagedProcess? _process;
    private bool _configured;

    /// <summary>Allocates a port and a directory; call <see cref="StartAsync"/> to run it.</summary>
    public ProsodyServer(ProsodyServerOptions? options = null)
    {
        _options = options ?? new ProsodyServerOptions();
        _prosody = ExternalTool.Require("prosody", "prosody");
        _prosodyctl = ExternalTool.Require("prosodyctl", "prosody");
        Port = FreePort.Allocate();
        _directory = TempDirectory.Create("prosody");
        ConfigPath = _directory.Combine("prosody.cfg.lua");
    }

    /// <inheritdoc/>
    public string Kind => "prosody";

    /// <inheritdoc/>
    public string Domain => _options.Domain;

    /// <inheritdoc/>
    public string Host => "127.0.0.1";

    /// <inheritdoc/>
    public int Port { get; }

    /// <inheritdoc/>
    public XmppSecurity Security => _options.Security;

    /// <summary>The generated prosody.cfg.lua.</summary>
    public string ConfigPath { get; }

    /// <summary>The temp directory holding config, data, certificate and pidfile.</summary>
    public string Directory => _directory.Path;

    /// <inheritdoc/>
    public string? CertificatePath => _certificate?.CertificatePath;

    /// <inheritdoc/>
    public X509Certificate2? Certificate => _certificate is null ? null : _loadedCertificate ??= _certificate.Load();

    /// <summary>The Lua GC mode the running server reported at start ("generational" or "incremental"), or null.</summary>
    public string? LuaGcMode { get; private set; }

    /// <summary>The running prosody process, or null before the first start.</summary>
    public ManagedProcess? Process => _process;

    /// <inheritdoc/>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>Creates and starts a server.</summary>
    public static Task<ProsodyServer> StartNewAsync(ProsodyServerOptions? options = null, CancellationToken cancellationToken = default)
        => TestServer.StartAsync(new ProsodyServer(options), cancellationToken);

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"Prosody on port {Port} is already running.");
        }

        var stopwatch = Stopwatch.StartNew();
        await ConfigureOnceAsync(cancellationToken).ConfigureAwait(false);
        _process?.Dispose();
        _process = ManagedProcess.Start(_prosody, ["--config", ConfigPath, "-F"], workingDirectory: _directory.Path);

        // The c2s port is bound before the VirtualHost's modules load; the marker module logs on
        // "server-started", which fires after every host and module is loaded.
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(_options.StartTimeout);
        try
        {
            var gcLine = await _process.WaitForOutputAsync(line => line.Contains(GcMarker, StringComparison.Ordinal), _options.StartTimeout, timeoutSource.Token).ConfigureAwait(false);
            LuaGcMode = gcLine[(gcLine.IndexOf(GcMarker, StringComparison.Ordinal) + GcMarker.Length)..].Trim();
            await _process.WaitForOutputAsync(line => line.Contains(ReadyMarker, StringComparison.Ordinal), _options.StartTimeout, timeoutSource.Token).ConfigureAwait(false);
            await _process.WaitForPortAsync(Port, _options.StartTimeout, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Prosody failed to start on 127.0.0.1:{Port} with config {ConfigPath}: {ex.Message}", ex);
        }

        LastStartDuration = stopwatch.Elapsed;
    }

    /// <inheritdoc/>
    public async Task RegisterAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        await ConfigureOnceAsync(cancellationToken).ConfigureAwait(false);
        (await ManagedProcess.RunAsync(
            _prosodyctl,
            ["--config", ConfigPath, "register", user, Domain, password],
            TimeSpan.FromSeconds(30),
            workingDirectory: _directory.Path,
            cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess($"prosodyctl register {user} {Domain}");
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            await _process.StopAsync(_options.StopTimeout, cancellationToken).ConfigureAwait(false);
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
                await _process.StopAsync(_options.StopTimeout).ConfigureAwait(false);
                await _process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _loadedCertificate?.Dispose();
            _directory.Dispose();
        }
    }

    private async Task ConfigureOnceAsync(CancellationToken cancellationToken)
    {
        if (_configured)
        {
            return;
        }

        var certificates = _directory.Combine("certs");
        var plugins = _directory.Combine("plugins");
        System.IO.Directory.CreateDirectory(certificates);
        System.IO.Directory.CreateDirectory(plugins);
        System.IO.Directory.CreateDirectory(_directory.Combine("data"));
        if (Security == XmppSecurity.StartTls)
        {
            _certificate = await SelfSignedCertificate.GenerateAsync(certificates, Domain, cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(
            Path.Combine(plugins, "mod_actors_fixture_ready.lua"),
            $"""
            -- Logs a marker once Prosody has loaded every host and module, so the fixture
            -- does not hand out a port whose modules are still loading.
            module:hook_global("server-started", function ()
                -- Lua 5.4 reports the previous GC mode when switching; switch back at once. Tells a
                -- test whether the config's gc setting took effect.
                local mode = collectgarbage("generational");
                collectgarbage(mode);
                module:log("info", "{GcMarker} %s", tostring(mode));
                module:log("info", "{ReadyMarker}");
            end);

            """,
            cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(ConfigPath, BuildConfig(certificates, plugins), cancellationToken).ConfigureAwait(false);
        _configured = true;
    }

    private string BuildConfig(string certificates, string plugins)
    {
        var tls = Security == XmppSecurity.StartTls;
        var modules = new List<string> { "roster", "saslauth", "disco", "ping", "posix", "smacks", "carbons", "offline", "actors_fixture_ready" };
        if (tls)
        {
            modules.Add("tls");
        }

        if (_options.RateLimits)
        {
            modules.Add("limits");
        }

        var config = new StringBuilder();
        config.AppendLine("-- Written by Actors.TestInfrastructure.ProsodyServer for one test run.");
        config.AppendLine("-- Prosody refuses root otherwise; tests run as root on CI machines.");
        config.AppendLine("run_as_root = true");
        config.AppendLine(CultureInfo.InvariantCulture, $"data_path = {Lua(_directory.Combine("data"))}");
        config.AppendLine(CultureInfo.InvariantCulture, $"pidfile = {Lua(_directory.Combine("prosody.pid"))}");
        config.AppendLine(CultureInfo.InvariantCulture, $"plugin_paths = {{ {Lua(plugins)} }}");
        config.AppendLine(CultureInfo.InvariantCulture, $"certificates = {Lua(certificates)}");
        config.AppendLine("-- Console only: the fixture captures it for readiness and error messages.");
        config.AppendLine("log = { info = \"*console\" }");
        config.AppendLine("-- Lua 5.4's generational GC: far less CPU per stanza than Prosody's default (see LuaGcConfig).");
        config.AppendLine(LuaGcConfig);
        config.AppendLine("-- TCP_NODELAY on client connections, as users run it (see NoNagleConfig).");
        config.AppendLine(NoNagleConfig);
        config.AppendLine("interfaces = { \"127.0.0.1\" }");
        config.AppendLine("local_interfaces = { \"127.0.0.1\" }");
        config.AppendLine(CultureInfo.InvariantCulture, $"c2s_ports = {{ {Port} }}");
        config.AppendLine("c2s_direct_tls_ports = {}");
        config.AppendLine("legacy_ssl_ports = {}");
        config.AppendLine("s2s_ports = {}");
        config.AppendLine("s2s_direct_tls_ports = {}");
        config.AppendLine("http_ports = {}");
        config.AppendLine("https_ports = {}");
        config.AppendLine("component_ports = {}");
        config.AppendLine("-- Only what a client needs; mod_limits only with ProsodyServerOptions.RateLimits.");
        config.AppendLine(CultureInfo.InvariantCulture, $"modules_enabled = {{ {string.Join(", ", modules.Select(Lua))} }}");
        config.AppendLine("modules_disabled = { \"s2s\" }");
        config.AppendLine("-- internal_hashed stores SCRAM-SHA-1 keys: Prosody 0.12 offers SCRAM-SHA-1 (+ -PLUS with");
        config.AppendLine("-- channel binding) and PLAIN, not SCRAM-SHA-256.");
        config.AppendLine("authentication = \"internal_hashed\"");
        config.AppendLine("storage = \"internal\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"c2s_require_encryption = {(tls ? "true" : "false")}");
        config.AppendLine(CultureInfo.InvariantCulture, $"allow_unencrypted_plain_auth = {(tls ? "false" : "true")}");
        config.AppendLine("-- Prosody keeps a dropped resumable session this long before broadcasting unavailable.");
        config.AppendLine(CultureInfo.InvariantCulture, $"smacks_hibernation_time = {(int)_options.SmacksHibernationTime.TotalSeconds}");
        if (_options.StanzaSizeLimit is { } limit)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"c2s_stanza_size_limit = {limit}");
        }

        if (_certificate is not null)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"ssl = {{ certificate = {Lua(_certificate.CertificatePath)}, key = {Lua(_certificate.KeyPath)} }}");
        }

        if (_options.RateLimits)
        {
            config.AppendLine(ClientLimitsConfig);
            config.AppendLine(CultureInfo.InvariantCulture, $"unlimited_jids = {{ {string.Join(", ", _options.UnlimitedJids.Select(Lua))} }}");
        }

        if (_options.ExtraGlobalConfig is { } extra)
        {
            config.AppendLine(extra);
        }

        config.AppendLine(CultureInfo.InvariantCulture, $"VirtualHost {Lua(Domain)}");
        return config.ToString();
    }

    private static string Lua(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
