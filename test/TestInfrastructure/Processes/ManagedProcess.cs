using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Actors.TestInfrastructure.Processes;

/// <summary>
/// A child process owned by a test fixture: output captured into a bounded ring buffer for error
/// messages, waits that always time out, and a stop that never leaves a process behind.
/// </summary>
/// <remarks>
/// The owner must dispose it; dispose kills the whole process tree. Trees still alive when the
/// test host exits are killed by a process-exit hook.
/// </remarks>
public sealed partial class ManagedProcess : IAsyncDisposable, IDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly int _maxLines;
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;
    private int _disposed;

    private ManagedProcess(Process process, string name, int maxLines)
    {
        _process = process;
        Name = name;
        _maxLines = maxLines;
    }

    /// <summary>Short name used in messages (the executable's file name).</summary>
    public string Name { get; }

    /// <summary>Process id of the started executable.</summary>
    public int Pid { get; private set; }

    /// <summary>True once the started executable has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>True between <see cref="Pause"/> and <see cref="Resume"/> (as far as this object sent the signals).</summary>
    public bool IsPaused { get; private set; }

    /// <summary>The exit code, or null while running.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the process wrote to stdout and stderr, oldest first.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with its output captured.</summary>
    /// <param name="fileName">Executable path.</param>
    /// <param name="arguments">Arguments, passed without shell interpretation.</param>
    /// <param name="workingDirectory">Working directory, or null for the current one.</param>
    /// <param name="environment">Variables to set (null value: remove) on top of the inherited environment.</param>
    /// <param name="maxLines">How many recent output lines to keep.</param>
    public static ManagedProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        int maxLines = 300)
    {
        var info = StartInfo(fileName, arguments, workingDirectory, environment);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, Path.GetFileName(fileName), maxLines);
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        managed.Pid = process.Id;
        ProcessExitCleanup.Register(managed);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    // Output and errors are read by us, and stdin is redirected so that no child ever reads the test host's stdin.
    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>Runs a short command to completion and returns its exit code and output.</summary>
    /// <exception cref="TimeoutException">The command ran longer than <paramref name="timeout"/>; it is killed.</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var info = StartInfo(fileName, arguments, workingDirectory, environment);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', info.ArgumentList)}' did not finish within {timeout.TotalSeconds:0.#} s and was killed.\n" +
                $"stdout:\n{Read(stdout)}\nstderr:\n{Read(stderr)}");
        }

        return new ProcessResult(process.ExitCode, Read(stdout), Read(stderr));

        static void Append(StringBuilder builder, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (builder)
            {
                builder.AppendLine(line);
            }
        }

        static string Read(StringBuilder builder)
        {
            lock (builder)
            {
                return builder.ToString();
            }
        }
    }

    /// <summary>The started process and all its descendants that are alive now.</summary>
    public IReadOnlyList<ProcessIdentity> GetProcessTree() => HasExited ? [] : ProcessIdentity.TreeOf(Pid);

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <exception cref="TimeoutException">Nothing accepted in time.</exception>
    /// <exception cref="InvalidOperationException">The process exited first.</exception>
    public async Task WaitForPortAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            while (true)
            {
                ThrowIfExited($"waiting for port {port}");
                using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeoutSource.Token).ConfigureAwait(false);
                        return;
                    }
                    catch (SocketException)
                    {
                        // Not listening yet.
                    }
                }

                await Task.Delay(50, timeoutSource.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{Name} (pid {Pid}) did not accept connections on 127.0.0.1:{port} within {timeout.TotalSeconds:0.#} s.\n{Describe()}");
        }
    }

    /// <summary>Waits for an output line (stdout or stderr, including lines already seen) matching <paramref name="match"/>.</summary>
    /// <returns>The matching line.</returns>
    /// <exception cref="TimeoutException">No such line in time.</exception>
    /// <exception cref="InvalidOperationException">The process closed its output first.</exception>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null)
            {
                return seen;
            }

            _waiters.Add((match, done));
        }

        try
        {
            var finished = await Task.WhenAny(done.Task, _outputClosed.Task).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (finished == done.Task)
            {
                return await done.Task.ConfigureAwait(false);
            }

            // Output closed; a line may have matched just before.
            if (done.Task.IsCompleted)
            {
                return await done.Task.ConfigureAwait(false);
            }

            throw new InvalidOperationException($"{Name} (pid {Pid}) closed its output before writing the expected line.\n{Describe()}");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} (pid {Pid}) did not write the expected line within {timeout.TotalSeconds:0.#} s.\n{Describe()}");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    /// <summary>Waits for the started executable to exit.</summary>
    /// <returns>True if it exited in time.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGTERM to the started executable only (not its children).</summary>
    public void Terminate()
    {
        if (!HasExited)
        {
            _ = SysKill(Pid, SigTerm);
        }
    }

    /// <summary>
    /// Freezes the started executable with SIGSTOP (not its children), as a hung process or a long GC pause
    /// would: it keeps its sockets open but answers nothing until <see cref="Resume"/>.
    /// </summary>
    /// <remarks>A stopped process does not act on SIGTERM, so <see cref="StopAsync"/> resumes it first; SIGKILL works either way.</remarks>
    public void Pause()
    {
        if (!HasExited)
        {
            _ = SysKill(Pid, SigStop);
            IsPaused = true;
        }
    }

    /// <summary>Lets a process frozen by <see cref="Pause"/> run again (SIGCONT).</summary>
    public void Resume()
    {
        if (!HasExited)
        {
            _ = SysKill(Pid, SigCont);
        }

        IsPaused = false;
    }

    /// <summary>
    /// Sends SIGTERM, waits up to <paramref name="timeout"/> for a clean exit, then kills the
    /// whole tree. Descendants still alive after a clean exit are killed too.
    /// </summary>
    /// <returns>True if the process exited by itself within the timeout.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (HasExited)
        {
            KillLeftovers();
            return true;
        }

        var tree = ProcessIdentity.TreeOf(Pid);
        if (IsPaused)
        {
            Resume();
        }

        Terminate();
        var clean = await WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (!clean)
        {
            Kill();
        }

        KillLeftovers(tree);
        return clean;
    }

    /// <summary>Kills the process and all its descendants with SIGKILL, and waits briefly for the exit to be observed.</summary>
    public void Kill()
    {
        var tree = HasExited ? [] : ProcessIdentity.TreeOf(Pid);
        KillTree(_process);
        KillLeftovers(tree);
        _process.WaitForExit(5000);
    }

    /// <summary>Kills the tree and releases the process handle.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Kill();
        }
        finally
        {
            ProcessExitCleanup.Unregister(this);
            _process.Dispose();
        }
    }

    /// <summary>Kills the tree and releases the process handle.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal string Describe() =>
        $"{Name} (pid {Pid}) {(HasExited ? $"exited with code {_process.ExitCode}" : "is running")}. Last output:\n{RecentOutput}";

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private static void KillLeftovers(IEnumerable<ProcessIdentity>? tree = null)
    {
        // A child that was re-parented (e.g. to init) when its parent exited is no longer in the
        // tree .NET walks; kill what was recorded before the stop.
        foreach (var identity in tree ?? [])
        {
            if (identity.IsAlive)
            {
                _ = SysKill(identity.Pid, SigKill);
            }
        }
    }

    private void ThrowIfExited(string activity)
    {
        if (HasExited)
        {
            throw new InvalidOperationException($"{Name} exited while {activity}.\n{Describe()}");
        }
    }

    private void OnLine(string? line)
    {
        lock (_gate)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    _outputClosed.TrySetResult();
                }

                return;
            }

            _lines.Enqueue(line);
            while (_lines.Count > _maxLines)
            {
                _lines.Dequeue();
            }

            foreach (var (match, done) in _waiters)
            {
                if (match(line))
                {
                    done.TrySetResult(line);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
