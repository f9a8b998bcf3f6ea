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
