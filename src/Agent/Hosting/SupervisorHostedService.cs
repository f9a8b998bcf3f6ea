using Actors.Agent.Supervision;
using Microsoft.Extensions.Hosting;

namespace Actors.Agent.Hosting;

/// <summary>
/// Runs the supervisor inside the host: starts every process in the background once the host runs, and stops them
/// all in order when the host stops (SIGTERM, Ctrl-C). A start that fails stops the host with exit code 1.
/// </summary>
internal sealed class SupervisorHostedService(ProcessSupervisor supervisor, StepWriter steps, IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _start;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = supervisor.Options;
        if (options.PidFile is { } pidFile)
        {
            File.WriteAllText(pidFile, Environment.ProcessId + "\n");
        }

        steps.Step($"Agent of {options.MachineName} (pid {Environment.ProcessId}): {options.Processes.Count} processes; logs in {Path.GetFullPath(options.LogDirectory)}.");
        _start = Task.Run(async () =>
        {
            if (await supervisor.StartAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                steps.Step($"All {supervisor.Snapshot().Count} processes are ready. A crashed one is restarted; Ctrl-C stops everything.");
                return;
            }

            if (!_stopping.IsCancellationRequested)
            {
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_start is { } start)
        {
            await start.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        steps.Step("Stopping every process, in the reverse order of their groups…");
        await supervisor.StopAllAsync().ConfigureAwait(false);
        if (supervisor.Options.PidFile is { } pidFile)
        {
            File.Delete(pidFile);
        }

        steps.Step("Everything stopped; no process left.");
        _stopping.Dispose();
    }
}
