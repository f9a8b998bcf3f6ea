using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Silos;

/// <summary>
/// A real silo process, <c>dotnet Actors.Silo.Host.dll</c> (the executable of src/Silo/Host), configured through <c>Actors__…</c> environment variables, so
/// tests exercise exactly what <c>./actors up</c> runs: startup, Redis clustering and storage, SIGTERM and SIGKILL.
/// </summary>
/// <remarks>
/// The creator owns it: dispose kills the process (SIGKILL) if a test did not stop it. Inherited <c>Actors__…</c>
/// variables are removed, so a developer's shell settings cannot leak into a test's silo.
/// </remarks>
public sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>The line Microsoft.Hosting.Lifetime logs once every hosted service (Orleans included) has started.</summary>
    public const string StartedLine = "Application started";

    private const string EnvironmentPrefix = "Actors__";

    private readonly SiloProcessOptions _options;
    private readonly Stopwatch _sinceLaunch = Stopwatch.StartNew();

    private SiloProcess(SiloProcessOptions options, ManagedProcess process, int siloPort, int gatewayPort, string name)
    {
        _options = options;
        Process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Name = name;
    }

    /// <summary>The silo's name (<c>Actors:Silo:Name</c>, or its default <c>silo-&lt;SiloPort&gt;</c>).</summary>
    public string Name { get; }

    /// <summary>The silo-to-silo port.</summary>
    public int SiloPort { get; }

    /// <summary>The port clients connect to.</summary>
    public int GatewayPort { get; }

    /// <summary>The <c>dotnet</c> process.</summary>
    public ManagedProcess Process { get; }

    /// <summary>The silo's last console lines, for assertion messages.</summary>
    public string RecentOutput => Process.RecentOutput;

    /// <summary>How long the silo took from launch until it was ready (set by <see cref="WaitUntilReadyAsync"/>).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Starts a silo and waits until it is ready: it logged <see cref="StartedLine"/> and its gateway port accepts.</summary>
    public static async Task<SiloProcess> StartAsync(SiloProcessOptions options, CancellationToken cancellationToken = default)
    {
        var silo = Launch(options);
        try
        {
            await silo.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a silo without waiting for it, e.g. to watch it fail at startup.</summary>
    public static SiloProcess Launch(SiloProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = options.AssemblyPath ?? LocateSiloAssembly();
        var siloPort = options.SiloPort ?? FreePort.Allocate();
        var gatewayPort = options.GatewayPort ?? FreePort.Allocate();
        var name = options.Name ?? $"silo-{siloPort}";

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                environment[key] = null;
            }
        }
        environment["Actors__Redis"] = options.Redis;
        environment["Actors__ClusterId"] = options.ClusterId;
        environment["Actors__ServiceId"] = options.ServiceId;
        environment["Actors__Silo__Name"] = name;
        environment["Actors__Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        environment["Actors__Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        var process = ManagedProcess.Start(
            DotnetHost(),
            [assembly],
            workingDirectory: Path.GetDirectoryName(assembly),
            environment: environment,
            maxLines: 2000);
        return new SiloProcess(options, process, siloPort, gatewayPort, name);
    }

    /// <summary>
    /// Finds the built silo executable, Actors.Silo.Host.dll, in src/Silo/Host/bin/&lt;Configuration&gt;/net10.0 of the
    /// checkout. Test projects that start silo processes reference src/Silo/Host with
    /// <c>ReferenceOutputAssembly="false"</c>, so building them builds it.
    /// </summary>
    public static string LocateSiloAssembly() => LocateProjectAssembly(Path.Combine("Silo", "Host"), "Actors.Silo.Host.dll");

    /// <summary>
    /// Finds the runnable <paramref name="fileName"/> of the project in src/<paramref name="projectDirectory"/>: in its
    /// bin/&lt;Configuration&gt;/&lt;framework&gt; in the checkout, the test's own configuration first.
    /// </summary>
    internal static string LocateProjectAssembly(string projectDirectory, string fileName)
    {
        var baseDirectory = AppContext.BaseDirectory;

        // The test assembly sits in …/bin/<Configuration>/<TargetFramework>/.
        var targetDirectory = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = targetDirectory.Name;
        string[] configurations = [targetDirectory.Parent?.Name ?? "Debug", "Debug", "Release"];
        for (var directory = targetDirectory; directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                continue;
            }

            foreach (var configuration in configurations.Distinct())
            {
                var candidate = Path.Combine(directory.FullName, "src", projectDirectory, "bin", configuration, framework, fileName);
                if (IsRunnable(candidate))
                {
                    return candidate;
                }
            }

            break;
        }

        throw new InvalidOperationException(
            $"{fileName} was not found in src/{projectDirectory}/bin of the checkout above {baseDirectory}: run `dotnet build Actors.sln` first.");

        static bool IsRunnable(string path) => File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"));
    }

    /// <summary>Waits until the silo logged <see cref="StartedLine"/> and its gateway port accepts connections.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await Process.WaitForOutputAsync(line => line.Contains(StartedLine, StringComparison.Ordinal), _options.StartTimeout, cancellationToken)
            .ConfigureAwait(false);
        var left = _options.StartTimeout - stopwatch.Elapsed;
        await Process.WaitForPortAsync(GatewayPort, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken)
            .ConfigureAwait(false);
        StartDuration = _sinceLaunch.Elapsed;
    }

    /// <summary>Stops the silo gracefully with SIGTERM and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit within the stop timeout; it was killed.</exception>
    public async Task<int> StopAsync(CancellationToken cancellationToken = default)
    {
        if (!await Process.StopAsync(_options.StopTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException(
                $"Silo {Name} did not exit within {_options.StopTimeout.TotalSeconds:0} s of SIGTERM and was killed.\n{RecentOutputWithHeader()}");
        }

        return Process.ExitCode ?? throw new InvalidOperationException($"Silo {Name} has no exit code after exiting.");
    }

    /// <summary>Kills the silo with SIGKILL, as a crash would: no goodbye to the cluster.</summary>
    public void Kill() => Process.Kill();

    /// <summary>The recent output under a header naming the silo, for test logs.</summary>
    public string RecentOutputWithHeader() =>
        $"--- silo {Name} (pid {Process.Pid}, silo port {SiloPort}, gateway port {GatewayPort}, " +
        $"{(Process.HasExited ? $"exit code {Process.ExitCode}" : "running")}) ---\n{RecentOutput}";

    /// <summary>Kills the process if it is still running.</summary>
    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>The <c>dotnet</c> host that runs the built apps.</summary>
    internal static string DotnetHost()
    {
        // The dotnet CLI tells the processes it starts where it is; fall back to PATH.
        var host = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        return ExternalTool.Require("dotnet", "dotnet-sdk-10.0");
    }
}
