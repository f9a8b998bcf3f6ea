using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Agent.Tests;

/// <summary>Small real processes for the supervisor, and ways to look at them from outside.</summary>
internal static partial class TestSupport
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A shell line that listens on <paramref name="port"/> after <paramref name="delaySeconds"/> (python3, as the slixmpp tests need).</summary>
    public static string Listener(int port, double delaySeconds = 0) =>
        $"sleep {delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; exec python3 -c \"import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('127.0.0.1',{port}));s.listen();time.sleep(600)\"";

    public static ProcessOptions Shell(string name, string shell, string? readyPort = null, string? group = null, ProcessKind kind = ProcessKind.Other) =>
        new() { Name = name, Shell = shell, ReadyPort = readyPort, Group = group, Kind = kind, StopGrace = TimeSpan.FromSeconds(5), ReadyTimeout = TimeSpan.FromSeconds(20) };

    /// <summary>
    /// A real silo process (src/Silo/Host) for the agent: ready once its gateway port listens and it logged
    /// "Application started." (Active); XMPP bridge on <paramref name="xmpp"/> as <paramref name="jid"/>, resource = name.
    /// </summary>
    /// <remarks>Ports are fresh ones unless given (a template passes its <c>{port:silo}</c> / <c>{port:gateway}</c> placeholders).</remarks>
    public static ProcessOptions SiloProcessSpec(
        string name, Actors.TestInfrastructure.Redis.RedisServer redis, Actors.TestInfrastructure.Xmpp.IXmppTestServer xmpp, string jid, string password,
        string? siloPort = null, string? gatewayPort = null)
    {
        var silo = Actors.TestInfrastructure.Silos.SiloProcess.LocateSiloAssembly();
        gatewayPort ??= Actors.TestInfrastructure.FreePort.Allocate().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var spec = new ProcessOptions
        {
            Name = name,
            Group = "silos",
            Kind = ProcessKind.Silo,
            Command = "dotnet",
            WorkingDirectory = Path.GetDirectoryName(silo),
            ReadyPort = gatewayPort,
            ReadyLogText = "Application started.",
            ReadyTimeout = TimeSpan.FromSeconds(90),
            StopGrace = TimeSpan.FromSeconds(40),
        };
        spec.Arguments.Add(silo);
        spec.Environment["Actors__Redis"] = redis.ConnectionString;
        spec.Environment["Actors__Silo__Name"] = name;
        spec.Environment["Actors__Silo__SiloPort"] = siloPort ?? Actors.TestInfrastructure.FreePort.Allocate().ToString(System.Globalization.CultureInfo.InvariantCulture);
        spec.Environment["Actors__Silo__GatewayPort"] = gatewayPort;
        spec.Environment["Actors__Xmpp__Jid"] = jid;
        spec.Environment["Actors__Xmpp__Password"] = password;
        spec.Environment["Actors__Xmpp__Host"] = xmpp.Host;
        spec.Environment["Actors__Xmpp__Port"] = xmpp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        spec.Environment["Actors__Xmpp__TrustedCertificatePath"] = xmpp.CertificatePath!;
        spec.Environment["Actors__Xmpp__Writers__0"] = $"*@{xmpp.Domain}";
        return spec;
    }

    /// <summary>A real gateway process (src/Gateway) on <paramref name="httpPort"/>, ready when <c>/readyz</c> answers 200; anonymous callers are operators, as under ./actors up.</summary>
    public static ProcessOptions GatewayProcessSpec(string name, int httpPort, Actors.TestInfrastructure.Redis.RedisServer redis)
    {
        var gateway = Actors.TestInfrastructure.Silos.GatewayProcess.LocateGatewayAssembly();
        var port = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var spec = new ProcessOptions
        {
            Name = name,
            Group = "gateways",
            Kind = ProcessKind.Gateway,
            Command = "dotnet",
            WorkingDirectory = Path.GetDirectoryName(gateway),
            ReadyPort = port,
            ReadyUrl = $"http://127.0.0.1:{port}/readyz",
            ReadyTimeout = TimeSpan.FromSeconds(90),
        };
        spec.Arguments.AddRange([gateway, "--urls", $"http://127.0.0.1:{port}"]);
        spec.Environment["Actors__Redis"] = redis.ConnectionString;
        spec.Environment["Gateway__Auth__Anonymous__0"] = "operator:*";
        return spec;
    }

    /// <summary>The agent's login to <paramref name="server"/> as <paramref name="jid"/>, trusting the server's test certificate.</summary>
    public static AgentXmppOptions AgentXmpp(Actors.TestInfrastructure.Xmpp.IXmppTestServer server, string jid, string password) => new()
    {
        Jid = jid,
        Password = password,
        Host = server.Host,
        Port = server.Port,
        TrustedCertificatePath = server.CertificatePath,
    };

    public static (ProcessSupervisor Supervisor, StringWriter Console) Supervisor(AgentOptions options)
    {
        var console = new StringWriter(new StringBuilder());
        var writer = new SynchronizedWriter(console);
        return (new ProcessSupervisor(options, new StepWriter(writer, writer), NullLogger<ProcessSupervisor>.Instance), console);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<T?> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        T? last = null;
        while (deadline.Elapsed < (timeout ?? Timeout))
        {
            last = probe();
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Not within {(timeout ?? Timeout).TotalSeconds} s: {what}. Last: {last}");
    }

    /// <summary>As <see cref="EventuallyAsync{T}(Func{T?}, Func{T, bool}, string, TimeSpan?)"/> for an asynchronous probe (e.g. a chat question), asking every 500 ms.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        while (deadline.Elapsed < (timeout ?? Timeout));
        throw new TimeoutException($"Not within {(timeout ?? Timeout).TotalSeconds} s: {what}. Last: {last}");
    }

    /// <summary>True while the process exists and is not a zombie (a reparented child may wait a moment to be reaped).</summary>
    public static bool Alive(int pid)
    {
        if (Kill(pid, 0) != 0)
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void Signal(int pid, int signal) => Kill(pid, signal).Should().Be(0, $"signal {signal} to {pid} must be delivered");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>A writer for the supervisor's steps that is safe from several threads and echoes to the test output.</summary>
    private sealed class SynchronizedWriter(StringWriter inner) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (inner)
            {
                inner.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (inner)
            {
                inner.WriteLine(value);
            }

            TestContext.Current.TestOutputHelper?.WriteLine(value ?? "");
        }
    }
}
