using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>What operators ask for (chat commands): restart one process, grow and shrink the silos.</summary>
public sealed partial class ProcessSupervisor
{
    /// <summary>The most silos one <c>grow</c> or <c>shrink</c> adds or removes.</summary>
    public const int MaxStep = 16;

    /// <summary>
    /// Restarts a process: a running one is stopped first (SIGTERM, grace time); a given-up, exited or stopped one is
    /// started again with its crash count cleared. Returns the answer for the operator.
    /// </summary>
    public async Task<string> RestartAsync(string name, string by, CancellationToken cancellationToken = default)
    {
        if (Lookup(name) is not { } process)
        {
            return $"No process '{name}' here. Processes: {string.Join(", ", Table().Select(p => p.Name))}.";
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _control.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var before = process.Snapshot();
            _steps.Step($"Restarting {process.Name} ({StateText(before.State)}), asked by {by}…");
            await StopProcessAsync(process, $"restarted by {by}").ConfigureAwait(false);
            lock (process.Gate)
            {
                process.Crashes.Clear();
            }

            StartLoop(process, countAsRestart: true);
            var started = _time.GetTimestamp();
            if (await WaitReadyAsync(process, linked.Token).ConfigureAwait(false) is { } failure)
            {
                return $"{process.Name} was started again, but {failure}. The end of its log:\n{string.Join('\n', ProcessLauncher.Tail(process.LogPath, 5))}";
            }

            var now = process.Snapshot();
            return $"{process.Name} restarted: pid {now.Pid}, ready in {StepWriter.Seconds(_time.GetElapsedTime(started))} (was {StateText(before.State)}{(before.Reason is { } r ? ": " + r : "")}).";
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> more silos from <see cref="AgentOptions.SiloTemplate"/>, one after the other,
    /// each with the next index, fresh ports and a fresh password, after its <see cref="SiloTemplateOptions.Prepare"/>.
    /// </summary>
    public async Task<string> GrowSilosAsync(int count, string by, CancellationToken cancellationToken = default)
    {
        var template = _options.SiloTemplate;
        if (!template.IsConfigured)
        {
            return "This agent has no silo template (Actors:Agent:SiloTemplate), so it cannot start silos.";
        }

        if (count is < 1 or > MaxStep)
        {
            return $"grow silos takes a count from 1 to {MaxStep}.";
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _control.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var answer = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var index = NextSiloIndex();
                var values = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["index"] = index.ToString(CultureInfo.InvariantCulture),
                    ["password"] = RandomNumberGenerator.GetHexString(24, lowercase: true),
                };
                var name = Placeholders.Fill(template.NameFormat, values);
                values["name"] = name;
                foreach (var port in template.Ports)
                {
                    values["port:" + port] = _ports.Next().ToString(CultureInfo.InvariantCulture);
                }

                var ports = string.Join(", ", template.Ports.Select(p => $"{p} port {values["port:" + p]}"));
                _steps.Step($"Growing: starting {name} ({ports}), asked by {by}…");
                var spec = Placeholders.Apply(template.Process, name, values);
                var process = Create(spec);
                if (!string.IsNullOrWhiteSpace(template.Prepare))
                {
                    var prepare = new SetupOptions { Name = name + " (prepare)", Shell = Placeholders.Fill(template.Prepare, values), Timeout = TimeSpan.FromSeconds(60) };
                    if (!await RunShellAsync(prepare, process.LogPath, echo: false, linked.Token).ConfigureAwait(false))
                    {
                        answer.Append(name).Append(": preparing it failed (").Append(process.LogPath).Append("); nothing started.");
                        break;
                    }
                }

                Insert(process);
                var started = _time.GetTimestamp();
                StartLoop(process, countAsRestart: false);
                if (await WaitReadyAsync(process, linked.Token).ConfigureAwait(false) is { } failure)
                {
                    answer.Append(name).Append(" did not start: ").Append(failure).Append(". See ").Append(process.LogPath).Append('.');
                    break;
                }

                answer.Append(name).Append(" ready in ").Append(StepWriter.Seconds(_time.GetElapsedTime(started)))
                    .Append(" (pid ").Append(process.Snapshot().Pid).Append(", ").Append(ports).Append(")\n");
            }

            answer.Append(CultureInfo.InvariantCulture, $"{CountActive(ProcessKind.Silo)} silos run on this machine now.");
            return answer.ToString();
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>
    /// Drains and stops the <paramref name="count"/> newest running silos, one after the other: SIGTERM makes a silo
    /// leave the cluster gracefully (its grains move to the others, then it exits 0); it is not restarted. At least
    /// one silo stays.
    /// </summary>
    public async Task<string> ShrinkSilosAsync(int count, string by, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > MaxStep)
        {
            return $"shrink silos takes a count from 1 to {MaxStep}.";
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _control.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var silos = Table().Where(p => p.Spec.Kind == ProcessKind.Silo && p.Snapshot().IsActive).ToList();
            if (count >= silos.Count)
            {
                return $"Refused: {silos.Count} silo{(silos.Count == 1 ? "" : "s")} run here, and shrink leaves at least one (stop the agent to stop everything).";
            }

            var answer = new StringBuilder();
            foreach (var silo in Enumerable.Reverse(silos).Take(count))
            {
                _steps.Step($"Shrinking: draining {silo.Name} (SIGTERM: it leaves the cluster gracefully and exits), asked by {by}…");
                await StopProcessAsync(silo, $"drained and stopped by {by} (shrink)").ConfigureAwait(false);
                string? stop;
                lock (silo.Gate)
                {
                    stop = silo.LastStop;
                }

                _steps.Step($"{silo.Name} drained and stopped ({stop}).");
                answer.Append(silo.Name).Append(" drained and stopped (").Append(stop).Append(")\n");
            }

            answer.Append(CultureInfo.InvariantCulture, $"{CountActive(ProcessKind.Silo)} silos run on this machine now.");
            return answer.ToString();
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>How many processes of a kind are running or starting.</summary>
    public int CountActive(ProcessKind kind) => Table().Count(p => p.Spec.Kind == kind && p.Snapshot().IsActive);

    /// <summary>A state in words for replies.</summary>
    public static string StateText(ProcessState state) => state switch
    {
        ProcessState.BackingOff => "backing off",
        ProcessState.GivenUp => "given up",
        _ => state.ToString().ToLowerInvariant(),
    };

    private int NextSiloIndex()
    {
        var format = _options.SiloTemplate.NameFormat;
        var pattern = new Regex("^" + Regex.Escape(format).Replace("\\{index}", "([0-9]+)", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var highest = 0;
        foreach (var p in Table())
        {
            var match = pattern.Match(p.Name);
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                highest = Math.Max(highest, index);
            }
        }

        return highest + 1;
    }
}
