using System.Globalization;
using System.Net.Sockets;
using Actors.Agent.Diagnostics;
using Actors.Agent.Options;
using Microsoft.Extensions.Logging;

namespace Actors.Agent.Supervision;

/// <summary>
/// Starts the machine's processes in order and keeps them running (docs/agent.md): a crashed one is restarted after a
/// back-off (1 s doubling to 30 s) and given up on after 5 crashes within 60 s, saying why; the others are never
/// touched by one that fails. Stops them in the reverse order of their groups.
/// </summary>
/// <remarks>
/// Like systemd's <c>Restart=on-failure</c> with <c>StartLimitBurst</c>, or an OTP one_for_one supervisor: exit 0 is
/// a process that left on purpose (a drained silo) and is not restarted. Operator actions (restart, grow, shrink,
/// adopting node directories, shutdown) run one at a time.
/// </remarks>
public sealed partial class ProcessSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly AgentOptions _options;
    private readonly StepWriter _steps;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<SupervisedProcess> _processes = [];
    private readonly Lock _tableLock = new();
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly PortAllocator _ports = new();
    private readonly ChildRegistry _children;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _tracking;
    private Task? _nodeDirectories;
    private int _stopped;

    /// <summary>Creates the supervisor; nothing starts before <see cref="StartAllAsync"/>.</summary>
    public ProcessSupervisor(AgentOptions options, StepWriter steps, ILogger<ProcessSupervisor> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _steps = steps;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(options.LogDirectory);
        _children = new ChildRegistry(Path.Combine(options.LogDirectory, "agent.children"));
        foreach (var spec in options.Processes)
        {
            _processes.Add(Create(spec));
        }

        _tracking = AgentInstruments.Track(this);
    }

    /// <summary>Raised after any process changed state (presence listens).</summary>
    public event EventHandler? Changed;

    /// <summary>Completes when <see cref="StartAllAsync"/> is over: true when everything started.</summary>
    public Task<bool> Started => _started.Task;

    /// <summary>The agent's options.</summary>
    public AgentOptions Options => _options;

    /// <summary>Every process in start order, as it is now.</summary>
    public IReadOnlyList<ProcessSnapshot> Snapshot()
    {
        lock (_tableLock)
        {
            return [.. _processes.Select(p => p.Snapshot())];
        }
    }

    /// <summary>One process by name (case-insensitive), or null.</summary>
    public ProcessSnapshot? Find(string name) => Lookup(name)?.Snapshot();

    /// <summary>
    /// Starts every process in order, each only once the one before is ready, and runs each group's setups once the
    /// group is ready. False (after printing why, with the failing process's log tail, and stopping what started) when
    /// one did not get ready.
    /// </summary>
    public async Task<bool> StartAllAsync(CancellationToken cancellationToken = default)
    {
        var started = false;
        try
        {
            started = await StartAllCoreAsync(cancellationToken).ConfigureAwait(false);
            return started;
        }
        finally
        {
            _started.TrySetResult(started);
        }
    }

    private async Task<bool> StartAllCoreAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await StopLeftoversAsync().ConfigureAwait(false);
        var list = Table();
        try
        {
            for (var i = 0; i < list.Count; i++)
            {
                var p = list[i];
                _steps.Step($"Starting {p.Name}{Ports(p)}…");
                StartLoop(p, countAsRestart: false);
                if (await WaitReadyAsync(p, linked.Token).ConfigureAwait(false) is { } failure)
                {
                    ReportStartFailure(p.Name, failure, p.LogPath);
                    return false;
                }

                var lastOfGroup = i == list.Count - 1 || list[i + 1].Group != p.Group;
                if (lastOfGroup)
                {
                    foreach (var setup in _options.Setups.Where(s => string.Equals(s.AfterGroup, p.Group, StringComparison.Ordinal)))
                    {
                        if (!await RunSetupAsync(setup, linked.Token).ConfigureAwait(false))
                        {
                            return false;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return false;
        }

        if (_options.NodeDirectories.Count > 0)
        {
            _nodeDirectories = Task.Run(() => WatchNodeDirectoriesAsync(_shutdown.Token), CancellationToken.None);
        }

        return true;
    }

    /// <summary>
    /// Stops everything: groups in the reverse order of their first process, the members of a group together (SIGTERM
    /// to each process group, SIGKILL after its grace time). Returns once no child is left.
    /// </summary>
    public async Task StopAllAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        if (_nodeDirectories is { } watcher)
        {
            await watcher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _control.WaitAsync().ConfigureAwait(false);
        try
        {
            var list = Table();
            var groups = list.Select(p => p.Group).Distinct(StringComparer.Ordinal).Reverse().ToList();
            foreach (var group in groups)
            {
                var members = list.Where(p => p.Loop is { Task.IsCompleted: false } && p.Group == group).ToList();
                if (members.Count == 0)
                {
                    continue;
                }

                var started = _time.GetTimestamp();
                _steps.Step($"Stopping {string.Join(", ", members.Select(m => m.Name))}…");
                await Task.WhenAll(members.Select(m => StopProcessAsync(m, "stopped with the agent"))).ConfigureAwait(false);
                _steps.Step($"Stopped {string.Join(", ", members.Select(m => $"{m.Name} ({m.LastStop})"))} in {StepWriter.Seconds(_time.GetElapsedTime(started))}.");
            }
        }
        finally
        {
            _control.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAllAsync().ConfigureAwait(false);
        _tracking.Dispose();
        _http.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>
    /// Stops the children a previous agent left running (it was SIGKILLed and could not stop them): they would hold
    /// the ports this start needs. SIGTERM to each process group, SIGKILL after 10 s.
    /// </summary>
    private async Task StopLeftoversAsync()
    {
        var leftovers = _children.Leftovers();
        if (leftovers.Count == 0)
        {
            return;
        }

        _steps.Problem($"A previous agent did not stop its children (was it SIGKILLed?); stopping them first, newest first: {string.Join(", ", leftovers.Select(l => $"{l.Name} (pid {l.Pid})"))}");
        var started = _time.GetTimestamp();
        // Newest first, one at a time (the list is in start order): silos drain while Redis still runs.
        foreach (var (pid, _) in leftovers.Reverse())
        {
            if (!Signals.SendToGroup(pid, Signals.SigTerm))
            {
                continue;
            }

            var deadline = _time.GetTimestamp();
            while (Signals.GroupAlive(pid) && _time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(Poll, _time).ConfigureAwait(false);
            }

            Signals.SendToGroup(pid, Signals.SigKill);
        }

        _steps.Step($"Stopped what the previous agent left behind in {StepWriter.Seconds(_time.GetElapsedTime(started))}.");
    }

    private SupervisedProcess Create(ProcessOptions spec)
    {
        int? port = null;
        if (!string.IsNullOrWhiteSpace(spec.ReadyPort))
        {
            port = int.TryParse(spec.ReadyPort, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and < 65536
                ? parsed
                : throw new ArgumentException($"{nameof(AgentOptions)}: process '{spec.Name}' has {nameof(ProcessOptions.ReadyPort)} '{spec.ReadyPort}', not a port number.", nameof(spec));
            _ports.Reserve(parsed);
        }

        return new SupervisedProcess(spec, Path.Combine(_options.LogDirectory, spec.Name + ".log"), port);
    }

    private List<SupervisedProcess> Table()
    {
        lock (_tableLock)
        {
            return [.. _processes];
        }
    }

    private SupervisedProcess? Lookup(string name)
    {
        lock (_tableLock)
        {
            return _processes.Find(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Adds a process after the last one of its group (or at the end), so it stops with its group.</summary>
    private void Insert(SupervisedProcess process)
    {
        lock (_tableLock)
        {
            var last = _processes.FindLastIndex(p => p.Group == process.Group);
            _processes.Insert(last < 0 ? _processes.Count : last + 1, process);
        }
    }

    private void Remove(SupervisedProcess process)
    {
        lock (_tableLock)
        {
            _processes.Remove(process);
        }

        OnChanged();
    }

    private void OnChanged()
    {
        try
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            AgentLog.LogChangedHandlerFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Waits until <paramref name="process"/> is ready; null then, else why not (given up, exited, stopped, or not
    /// ready within its <see cref="ProcessOptions.ReadyTimeout"/>). Crashes meanwhile are restarted as usual.
    /// </summary>
    private async Task<string?> WaitReadyAsync(SupervisedProcess process, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        int readyBefore;
        lock (process.Gate)
        {
            readyBefore = process.ReadyCount;
        }

        while (true)
        {
            var s = process.Snapshot();
            int readyNow;
            lock (process.Gate)
            {
                readyNow = process.ReadyCount;
            }

            // Ready once is started: a crash right after is the supervision's business from here on.
            if (readyNow > readyBefore)
            {
                return null;
            }

            switch (s.State)
            {
                case ProcessState.Running:
                    return null;
                case ProcessState.GivenUp:
                    return s.Reason ?? "it was given up on";
                case ProcessState.Exited:
                    return "it exited with code 0 before it was ready";
                case ProcessState.Stopped or ProcessState.Stopping:
                    return "it was stopped";
            }

            if (_time.GetElapsedTime(started) > process.Spec.ReadyTimeout)
            {
                return $"it was not ready within {StepWriter.Seconds(process.Spec.ReadyTimeout)} ({ReadinessText(process)})";
            }

            await Task.Delay(Poll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReportStartFailure(string name, string failure, string logPath)
    {
        _steps.Problem($"{name} did not start: {failure}. The end of {logPath}:");
        _steps.Raw(ProcessLauncher.Tail(logPath), problem: true);
    }

    private static string ReadinessText(SupervisedProcess process)
    {
        var checks = new List<string>();
        if (process.ReadyPort is { } port)
        {
            checks.Add($"port {port} open");
        }

        if (process.Spec.ReadyLogText is { Length: > 0 } text)
        {
            checks.Add($"'{text}' in its log");
        }

        if (process.Spec.ReadyUrl is { } url)
        {
            checks.Add($"GET {url} 200");
        }

        return checks.Count == 0 ? "no check" : "waiting for " + string.Join(", ", checks);
    }

    /// <summary>True when this run's part of the log holds <paramref name="text"/>.</summary>
    private static bool LogContains(SupervisedProcess process, string text)
    {
        long offset;
        lock (process.Gate)
        {
            offset = process.LogOffset;
        }

        try
        {
            using var stream = new FileStream(process.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Ports(SupervisedProcess process) => process.ReadyPort is { } port ? $" (port {port})" : "";

    private async Task<bool> IsReadyAsync(SupervisedProcess process, CancellationToken cancellationToken)
    {
        if (process.ReadyPort is { } port)
        {
            using var client = new TcpClient();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await client.ConnectAsync(process.Spec.ReadyHost, port, bounded.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        if (process.Spec.ReadyLogText is { Length: > 0 } text && !LogContains(process, text))
        {
            return false;
        }

        if (process.Spec.ReadyUrl is { } url)
        {
            try
            {
                using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                return (int)response.StatusCode == 200;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return true;
    }
}
