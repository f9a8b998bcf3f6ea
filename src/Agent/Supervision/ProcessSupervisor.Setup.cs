using System.Diagnostics;
using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>One-shot commands: a group's setup (creating the Redis Cluster) and a new silo's preparation.</summary>
public sealed partial class ProcessSupervisor
{
    private async Task<bool> RunSetupAsync(SetupOptions setup, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(setup.Creates) && File.Exists(setup.Creates))
        {
            _steps.Step($"{setup.Name}: done before ({setup.Creates} exists); skipped.");
            return true;
        }

        var log = Path.Combine(_options.LogDirectory, setup.Name + ".log");
        var started = _time.GetTimestamp();
        _steps.Step($"Running {setup.Name}…");
        if (!await RunShellAsync(setup, log, echo: true, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _steps.Step($"{setup.Name} done ({StepWriter.Seconds(_time.GetElapsedTime(started))}).");
        return true;
    }

    /// <summary>
    /// Runs a <c>sh -c</c> line in a session of its own, its output appended to <paramref name="logPath"/> and, with
    /// <paramref name="echo"/>, shown on the console as it comes. False, with the reason and the output's end printed,
    /// on a non-zero exit or a timeout (then its process group is killed).
    /// </summary>
    private async Task<bool> RunShellAsync(SetupOptions setup, string logPath, bool echo, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec 2>&1\n" + setup.Shell);
        if (!string.IsNullOrWhiteSpace(setup.WorkingDirectory))
        {
            start.WorkingDirectory = setup.WorkingDirectory;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"setsid did not start for {setup.Name}.");
        process.StandardInput.Close();
        await using var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        await log.WriteLineAsync($"=== {_time.GetLocalNow():yyyy-MM-dd HH:mm:ss}: {setup.Name}: {setup.Shell}").ConfigureAwait(false);
        var tail = new Queue<string>();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(setup.Timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(bounded.Token).ConfigureAwait(false) is { } line)
            {
                await log.WriteLineAsync(line).ConfigureAwait(false);
                if (echo)
                {
                    _steps.Raw([line], indent: false);
                }

                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }
            }

            await process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Signals.SendToGroup(process.Id, Signals.SigKill);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            _steps.Problem($"{setup.Name} did not finish within {StepWriter.Seconds(setup.Timeout)}; the end of {logPath}:");
            _steps.Raw(tail, problem: true);
            return false;
        }

        if (process.ExitCode != 0)
        {
            _steps.Problem($"{setup.Name} {Signals.DescribeExit(process.ExitCode)}; the end of {logPath}:");
            _steps.Raw(tail, problem: true);
            return false;
        }

        return true;
    }
}
