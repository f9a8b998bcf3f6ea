using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Actors.Agent.Diagnostics;
using Actors.Contracts.Hosting;

namespace Actors.Agent.Supervision;

/// <summary>One supervision loop per process: start, watch readiness, wait for the exit, back off, start again.</summary>
public sealed partial class ProcessSupervisor
{
    /// <summary>Starts the loop of a process that has none.</summary>
    private void StartLoop(SupervisedProcess process, bool countAsRestart)
    {
        var stop = new CancellationTokenSource();
        lock (process.Gate)
        {
            process.State = ProcessState.Pending;
            process.Reason = null;
            process.Loop = (stop, Task.Run(() => RunAsync(process, countAsRestart, stop.Token), CancellationToken.None));
        }
    }

    /// <summary>Stops a process's loop (SIGTERM, SIGKILL after the grace time) and waits until its child is gone.</summary>
    private async Task StopProcessAsync(SupervisedProcess process, string reason)
    {
        (CancellationTokenSource Stop, Task Task)? loop;
        lock (process.Gate)
        {
            loop = process.Loop;
        }

        if (loop is not { } l)
        {
            return;
        }

        if (l.Task.IsCompleted)
        {
            // It ended by itself (given up, exited 0): nothing to stop, and its state says why.
            lock (process.Gate)
            {
                process.Loop = null;
            }

            l.Stop.Dispose();
            return;
        }

        await l.Stop.CancelAsync().ConfigureAwait(false);
        await l.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (process.Gate)
        {
            process.State = ProcessState.Stopped;
            process.Reason = reason;
            process.Pid = null;
            process.ReadyAt = null;
            process.Loop = null;
        }

        l.Stop.Dispose();
        OnChanged();
    }

    private async Task RunAsync(SupervisedProcess process, bool countAsRestart, CancellationToken stop)
    {
        var restart = countAsRestart;
        while (!stop.IsCancellationRequested)
        {
            var (code, pid) = await RunOnceAsync(process, restart, stop).ConfigureAwait(false);
            if (code is null)
            {
                return; // stopped by the agent
            }

            restart = true;
            var what = code == -1 ? "could not be started" : Signals.DescribeExit(code.Value);
            AppendLog(process, $"{process.Name} {what}");
            if (code == 0 && !process.Spec.RestartOnCleanExit)
            {
                lock (process.Gate)
                {
                    process.State = ProcessState.Exited;
                    process.Reason = "exited 0 by itself (left on purpose, e.g. drained); not restarted";
                    process.Pid = null;
                    process.ReadyAt = null;
                }

                _steps.Step($"{process.Name} (pid {pid}) exited 0: it left on purpose (e.g. a drained silo), so it is not restarted; the others keep running.");
                OnChanged();
                return;
            }

            var now = _time.GetUtcNow();
            int crashes;
            bool givenUp;
            lock (process.Gate)
            {
                process.Crashes.RemoveAll(t => now - t >= _options.CrashWindow);
                process.Crashes.Add(now);
                crashes = process.Crashes.Count;
                givenUp = crashes >= _options.CrashLimit;
                process.Pid = null;
                process.ReadyAt = null;
                process.State = givenUp ? ProcessState.GivenUp : ProcessState.BackingOff;
                process.Reason = givenUp
                    ? string.Create(CultureInfo.InvariantCulture, $"{what}; {crashes} crashes within {_options.CrashWindow.TotalSeconds:0} s, so it is not restarted again ('restart {process.Name}' starts it)")
                    : what;
            }

            if (givenUp)
            {
                AgentInstruments.CountGiveUp(process.Name, process.Spec.Kind);
                _steps.Problem($"{process.Name} (pid {pid}) {process.Reason}. The rest keeps running. The end of {process.LogPath}:");
                _steps.Raw(ProcessLauncher.Tail(process.LogPath, 10), problem: true);
                AgentLog.LogGivenUp(_logger, process.Name, process.Reason!);
                OnChanged();
                return;
            }

            // 1 s after the first crash within the window, doubling with each further one, up to the maximum.
            var delay = Backoff.Ceiling(crashes, process.Spec.FirstRestartDelay ?? _options.FirstRestartDelay, _options.MaxRestartDelay);
            _steps.Problem($"{process.Name} (pid {pid}) {what}; restarting it in {StepWriter.Seconds(delay)} (crash {crashes} of {_options.CrashLimit} allowed within {_options.CrashWindow.TotalSeconds:0} s; the rest keeps running; see {process.LogPath}).");
            OnChanged();
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One run: start, watch readiness, wait for the exit. Returns the exit code (-1: could not be started) and pid, or
    /// a null code when the agent stopped it (then it is gone, its whole process group with it).
    /// </summary>
    private async Task<(int? Code, int Pid)> RunOnceAsync(SupervisedProcess process, bool restart, CancellationToken stop)
    {
        var startedAt = _time.GetUtcNow();
        AppendLog(process, restart ? $"restarting {process.Name}" : $"starting {process.Name}");
        var logOffset = File.Exists(process.LogPath) ? new FileInfo(process.LogPath).Length : 0;
        Process child;
        try
        {
            child = ProcessLauncher.Start(process.Spec, process.LogPath);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            AppendLog(process, $"could not start: {ex.Message}");
            _steps.Problem($"{process.Name} could not be started: {ex.Message}");
            return (-1, 0);
        }

        using (child)
        {
            var pid = child.Id;
            _children.Add(pid, process.Name);
            try
            {
                return await SuperviseRunAsync(process, child, restart, startedAt, logOffset, stop).ConfigureAwait(false);
            }
            finally
            {
                _children.Remove(pid);
            }
        }
    }

    /// <summary>Watches one started child until it exits or the agent stops it (see <see cref="RunOnceAsync"/>).</summary>
    private async Task<(int? Code, int Pid)> SuperviseRunAsync(SupervisedProcess process, Process child, bool restart, DateTimeOffset startedAt, long logOffset, CancellationToken stop)
    {
        var pid = child.Id;
        lock (process.Gate)
        {
            process.RecordStart(startedAt, pid);
            process.LogOffset = logOffset;
            if (restart)
            {
                process.Restarts++;
            }
        }

        if (restart)
        {
            AgentInstruments.CountRestart(process.Name, process.Spec.Kind);
        }

        OnChanged();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var readiness = WatchReadinessAsync(process, child, restart, watching.Token);
        try
        {
            await child.WaitForExitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await readiness.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await TerminateAsync(process, child).ConfigureAwait(false);
            return (null, pid);
        }

        await watching.CancelAsync().ConfigureAwait(false);
        await readiness.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Whatever the child started and left behind in its group goes with it, so a restart finds its ports free.
        Signals.SendToGroup(pid, Signals.SigKill);
        return (child.ExitCode, pid);
    }

    private async Task WatchReadinessAsync(SupervisedProcess process, Process child, bool restart, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var warned = false;
        while (!cancellationToken.IsCancellationRequested && !child.HasExited)
        {
            if (await IsReadyAsync(process, cancellationToken).ConfigureAwait(false))
            {
                var took = _time.GetElapsedTime(started);
                lock (process.Gate)
                {
                    if (process.Pid != child.Id || process.State != ProcessState.Starting)
                    {
                        return;
                    }

                    process.State = ProcessState.Running;
                    process.ReadyAt = _time.GetUtcNow();
                    process.ReadyCount++;
                }

                _steps.Step(restart
                    ? $"{process.Name} ready again ({StepWriter.Seconds(took)}, pid {child.Id}, restart {process.Snapshot().Restarts})"
                    : $"{process.Name} ready ({StepWriter.Seconds(took)}, pid {child.Id})");
                OnChanged();
                return;
            }

            if (!warned && _time.GetElapsedTime(started) > process.Spec.ReadyTimeout)
            {
                warned = true;
                _steps.Problem($"{process.Name} (pid {child.Id}) is not ready after {StepWriter.Seconds(process.Spec.ReadyTimeout)} ({ReadinessText(process)}); see {process.LogPath}.");
            }

            await Task.Delay(Poll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM to the child's process group; SIGKILL to what is left after the grace time.</summary>
    private async Task TerminateAsync(SupervisedProcess process, Process child)
    {
        lock (process.Gate)
        {
            process.State = ProcessState.Stopping;
        }

        OnChanged();
        var pid = child.Id;
        var started = _time.GetTimestamp();
        AppendLog(process, $"stopping {process.Name} (SIGTERM to process group {pid})");
        Signals.SendToGroup(pid, Signals.SigTerm);
        using var grace = new CancellationTokenSource(process.Spec.StopGrace, _time);
        var killed = false;
        try
        {
            await child.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            // The child is gone; give the rest of its group the rest of the grace time.
            while (Signals.GroupAlive(pid) && !grace.IsCancellationRequested)
            {
                await Task.Delay(Poll, _time, grace.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            killed = true;
        }

        Signals.SendToGroup(pid, Signals.SigKill);
        await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var took = StepWriter.Seconds(_time.GetElapsedTime(started));
        var how = killed ? $"SIGKILL after {took}" : $"{Signals.DescribeExit(child.ExitCode).Replace("exited with code", "exit", StringComparison.Ordinal)}, {took}";
        lock (process.Gate)
        {
            process.LastStop = how;
        }

        AppendLog(process, $"{process.Name} stopped: {how}");
    }

    private void AppendLog(SupervisedProcess process, string line)
    {
        try
        {
            File.AppendAllText(process.LogPath, $"=== {_time.GetLocalNow():yyyy-MM-dd HH:mm:ss}: {line}\n");
        }
        catch (IOException ex)
        {
            AgentLog.LogLogWriteFailed(_logger, ex, process.LogPath);
        }
    }
}
