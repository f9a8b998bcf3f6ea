using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>
/// Node directories (docs/agent.md): <c>./actors redis add-shard</c> adds a Redis node by writing
/// <c>&lt;dir&gt;/&lt;port&gt;/redis.conf</c>, and <c>remove-shard</c> takes one out with a <c>removed</c> file — the
/// protocol the bash supervisor of <c>./actors up</c> had, kept so those commands work unchanged.
/// </summary>
public sealed partial class ProcessSupervisor
{
    private static readonly TimeSpan NodeDirectoryInterval = TimeSpan.FromSeconds(1);

    private async Task WatchNodeDirectoriesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(NodeDirectoryInterval, _time, cancellationToken).ConfigureAwait(false);
                await _control.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    foreach (var watched in _options.NodeDirectories)
                    {
                        await ScanAsync(watched).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _control.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                AgentLog.LogNodeDirectoryFailed(_logger, ex);
            }
        }
    }

    private async Task ScanAsync(NodeDirectoryOptions watched)
    {
        if (!Directory.Exists(watched.Path))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(watched.Path).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(directory, watched.ReadyFile)))
            {
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["dir"] = Path.GetFileName(directory),
                ["path"] = Path.GetFullPath(directory),
            };
            var name = Placeholders.Fill(watched.Template.Name, values);
            var known = Lookup(name);
            if (File.Exists(Path.Combine(directory, watched.RemovedFile)))
            {
                if (known is not null)
                {
                    await StopProcessAsync(known, "its node was removed").ConfigureAwait(false);
                    Remove(known);
                    _steps.Step($"{name} stopped for good: its node directory was marked {watched.RemovedFile} ({directory}).");
                }

                continue;
            }

            if (known is null)
            {
                var process = Create(Placeholders.Apply(watched.Template, name, values));
                Insert(process);
                StartLoop(process, countAsRestart: false);
                _steps.Step($"Supervising the new node {name}, found in {directory}.");
            }
        }
    }
}
