using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Silos;

/// <summary>
/// A real gateway process, <c>dotnet Actors.Gateway.dll --urls http://127.0.0.1:&lt;port&gt;</c>, configured through
/// <c>Actors__…</c> environment variables as <c>./actors up</c> runs it, so tests can SIGKILL it and start it again.
/// </summary>
/// <remarks>
/// The creator owns it: dispose kills the process (SIGKILL) if a test did not stop it. Inherited <c>Actors__…</c> and
/// <c>Gateway__…</c> variables are removed, so a developer's shell settings cannot leak into a test's gateway.
/// </remarks>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly string[] InheritedPrefixes = ["Actors__", "Gateway__", "ASPNETCORE_URLS"];

    private readonly GatewayProcessOptions _options;
    private readonly Stopwatch _sinceLaunch = Stopwatch.StartNew();

    private GatewayProcess(GatewayProcessOptions options, ManagedProcess process, int httpPort)
    {
        _options = options;
        Process = process;
        HttpPort = httpPort;
    }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The gateway's base address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The <c>dotnet</c> process.</summary>
    public ManagedProcess Process { get; }

    /// <summary>How long the gateway took from launch until its port accepted (set by <see cref="WaitUntilListeningAsync"/>).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Starts a gateway and waits until it listens. It may still be connecting to the cluster: poll <c>/readyz</c>.</summary>
    public static async Task<GatewayProcess> StartAsync(GatewayProcessOptions options, CancellationToken cancellationToken = default)
    {
        var gateway = Launch(options);
        try
        {
            await gateway.WaitUntilListeningAsync(cancellationToken).ConfigureAwait(false);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a gateway without waiting for it.</summary>
    public static GatewayProcess Launch(GatewayProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = options.AssemblyPath ?? LocateGatewayAssembly();
        var port = options.HttpPort ?? FreePort.Allocate();

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && InheritedPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                environment[key] = null;
            }
        }
        environment["Actors__Redis"] = options.Redis;
        environment["Actors__ClusterId"] = options.ClusterId;
        environment["Actors__ServiceId"] = options.ServiceId;
        // On loopback, anonymous callers are operators, as under ./actors up; options.Environment may say otherwise.
        environment["Gateway__Auth__Anonymous__0"] = "operator:*";
        // The load of fault scenarios comes from one address: the per-caller limit (tested in Gateway.Tests) stays out of it.
        environment["Gateway__RequestsPerSecondPerCaller"] = "0";
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        var process = ManagedProcess.Start(
            SiloProcess.DotnetHost(),
            [assembly, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"],
            workingDirectory: Path.GetDirectoryName(assembly),
            environment: environment,
            maxLines: 2000);
        return new GatewayProcess(options, process, port);
    }

    /// <summary>
    /// Finds the built Actors.Gateway.dll in src/Gateway/bin/&lt;Configuration&gt;/net10.0 of the checkout (a test project
    /// references the Gateway project with <c>ReferenceOutputAssembly=false</c> so it is built but not copied: its
    /// appsettings.json and top-level Program would clash with the silo's).
    /// </summary>
    public static string LocateGatewayAssembly() => SiloProcess.LocateProjectAssembly("Gateway", "Actors.Gateway.dll");

    /// <summary>Waits until the gateway logged "Application started" and its HTTP port accepts connections.</summary>
    public async Task WaitUntilListeningAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await Process.WaitForOutputAsync(line => line.Contains(SiloProcess.StartedLine, StringComparison.Ordinal), _options.StartTimeout, cancellationToken)
            .ConfigureAwait(false);
        var left = _options.StartTimeout - stopwatch.Elapsed;
        await Process.WaitForPortAsync(HttpPort, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken)
            .ConfigureAwait(false);
        StartDuration = _sinceLaunch.Elapsed;
    }

    /// <summary>Stops the gateway gracefully with SIGTERM; returns true if it exited within the stop timeout.</summary>
    public Task<bool> StopAsync(CancellationToken cancellationToken = default) => Process.StopAsync(_options.StopTimeout, cancellationToken);

    /// <summary>Kills the gateway with SIGKILL, as a crash would.</summary>
    public void Kill() => Process.Kill();

    /// <summary>The recent output under a header naming the gateway, for test logs.</summary>
    public string RecentOutputWithHeader() =>
        $"--- gateway :{HttpPort} (pid {Process.Pid}, {(Process.HasExited ? $"exit code {Process.ExitCode}" : "running")}) ---\n{Process.RecentOutput}";

    /// <summary>Kills the process if it is still running.</summary>
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
