using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>What operators ask for (chat commands): restart one process, grow and shrink the silos.</summary>
public sealed partial class ProcessSupervisor
{
    /// <summary>The most processes one <c>grow</c> or <c>shrink</c> adds or removes.</summary>
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
    /// Starts <paramref name="count"/> more processes of <paramref name="kind"/> (silos, gateways) from their template
    /// (<see cref="AgentOptions.Template"/>), one after the other, each ready before the next, with the next index,
    /// fresh ports and a fresh password, after the template's <see cref="ProcessTemplateOptions.Prepare"/>.
    /// </summary>
    public async Task<string> GrowAsync(ProcessKind kind, int count, string by, CancellationToken cancellationToken = default)
    {
        var noun = Noun(kind);
        var template = _options.Template(kind);
        if (template is not { IsConfigured: true })
        {
            return $"This agent has no {noun} template (Actors:Agent:{kind}Template), so it cannot start {noun}s.";
        }

        if (count is < 1 or > MaxStep)
        {
            return $"grow {noun}s takes a count from 1 to {MaxStep}.";
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _control.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var answer = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var index = NextIndex(kind, template);
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
                spec.Kind = kind;
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

            answer.Append(RunningNow(kind));
            return answer.ToString();
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>
    /// Stops the <paramref name="count"/> newest running processes of <paramref name="kind"/>, one after the other,
    /// with SIGTERM: a silo then leaves the cluster gracefully (its grains move to the others) and exits 0, a gateway
    /// finishes its requests; neither is restarted. At least one of the kind stays.
    /// </summary>
    public async Task<string> ShrinkAsync(ProcessKind kind, int count, string by, CancellationToken cancellationToken = default)
    {
        var noun = Noun(kind);
        if (count is < 1 or > MaxStep)
        {
            return $"shrink {noun}s takes a count from 1 to {MaxStep}.";
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _control.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var running = Table().Where(p => p.Spec.Kind == kind && p.Snapshot().IsActive).ToList();
            if (count >= running.Count)
            {
                return $"Refused: {running.Count} {noun}{(running.Count == 1 ? " runs" : "s run")} here, and shrink leaves at least one (stop the agent to stop everything).";
            }

            var answer = new StringBuilder();
            foreach (var process in Enumerable.Reverse(running).Take(count))
            {
                _steps.Step(kind == ProcessKind.Silo
                    ? $"Shrinking: draining {process.Name} (SIGTERM: it leaves the cluster gracefully and exits), asked by {by}…"
                    : $"Shrinking: stopping {process.Name} (SIGTERM), asked by {by}…");
                await StopProcessAsync(process, $"{(kind == ProcessKind.Silo ? "drained and stopped" : "stopped")} by {by} (shrink)").ConfigureAwait(false);
                string? stop;
                lock (process.Gate)
                {
                    stop = process.LastStop;
                }

                var done = kind == ProcessKind.Silo ? "drained and stopped" : "stopped";
                _steps.Step($"{process.Name} {done} ({stop}).");
                answer.Append(process.Name).Append(' ').Append(done).Append(" (").Append(stop).Append(")\n");
            }

            answer.Append(RunningNow(kind));
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

    /// <summary>
    /// The next index for <paramref name="kind"/>: above every name matching the template's format, and above the number
    /// of processes of the kind (so a lone <c>gateway</c> is followed by <c>gateway-2</c>).
    /// </summary>
    private int NextIndex(ProcessKind kind, ProcessTemplateOptions template)
    {
        var pattern = new Regex("^" + Regex.Escape(template.NameFormat).Replace("\\{index}", "([0-9]+)", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var processes = Table();
        var highest = processes.Count(p => p.Spec.Kind == kind);
        foreach (var p in processes)
        {
            var match = pattern.Match(p.Name);
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                highest = Math.Max(highest, index);
            }
        }

        return highest + 1;
    }

    private string RunningNow(ProcessKind kind)
    {
        var n = CountActive(kind);
        return string.Create(CultureInfo.InvariantCulture, $"{n} {Noun(kind)}{(n == 1 ? "" : "s")} run{(n == 1 ? "s" : "")} on this machine now.");
    }

    private static string Noun(ProcessKind kind) => kind.ToString().ToLowerInvariant();
}
