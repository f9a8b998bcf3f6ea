using System.Diagnostics.Metrics;
using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.Contracts.Hosting;

namespace Actors.Agent.Diagnostics;

/// <summary>
/// The agent's own metrics (docs/observability.md lists each with its unit and meaning): restarts and give-ups by
/// process, the processes by state, and the chat commands it handled. The names are constants because dashboards and
/// alerts depend on them: Prometheus shows <c>actors.agent.process.restarts</c> as <c>actors_agent_process_restarts_total</c>.
/// </summary>
/// <remarks>
/// Static, as the silo's and Orleans' instruments are: a meter costs nothing until something listens. The processes
/// gauge is observed, not counted: it reads the table of every supervisor alive in the process (one in the agent,
/// several in tests) when a reader collects, so no state change can be missed by a counter that forgot one.
/// </remarks>
internal static class AgentInstruments
{
    public const string RestartsName = "actors.agent.process.restarts";
    public const string GiveUpsName = "actors.agent.process.give_ups";
    public const string ProcessesName = "actors.agent.processes";
    public const string CommandsName = "actors.agent.commands";

    /// <summary>Command outcomes, the values of the <c>outcome</c> tag.</summary>
    public const string Answered = "answered";
    public const string Denied = "denied";
    public const string Unknown = "unknown";
    public const string Stale = "stale";
    public const string Failed = "failed";

    private static readonly Meter Meter = new(ActorsTelemetry.MeterName, ActorsTelemetry.Version);
    private static readonly Lock SupervisorsLock = new();
    private static readonly List<ProcessSupervisor> Supervisors = [];
    private static readonly HashSet<ProcessKind> KindsSeen = [];

    public static readonly Counter<long> Restarts = Meter.CreateCounter<long>(
        RestartsName, "{restart}", "Starts of a process after its first: after a crash (back-off) or asked by an operator, by process and kind.");

    public static readonly Counter<long> GiveUps = Meter.CreateCounter<long>(
        GiveUpsName, "{process}", "Processes given up on after too many crashes within the window, by process and kind.");

    public static readonly ObservableUpDownCounter<int> Processes = Meter.CreateObservableUpDownCounter(
        ProcessesName, ObserveProcesses, "{process}", "The agent's processes by state (pending, starting, running, backing_off, given_up, exited, stopping, stopped) and kind.");

    public static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        CommandsName, "{command}", "Chat commands the agent handled, by command and outcome (answered, denied, unknown, stale, failed).");

    /// <summary>Counts a start of <paramref name="process"/> after its first.</summary>
    public static void CountRestart(string process, ProcessKind kind) =>
        Restarts.Add(1, new KeyValuePair<string, object?>("process", process), new KeyValuePair<string, object?>("kind", KindTag(kind)));

    /// <summary>Counts <paramref name="process"/> given up on.</summary>
    public static void CountGiveUp(string process, ProcessKind kind) =>
        GiveUps.Add(1, new KeyValuePair<string, object?>("process", process), new KeyValuePair<string, object?>("kind", KindTag(kind)));

    /// <summary>Counts a handled chat command: its name from the command table (<c>unknown</c> for none) and the outcome.</summary>
    public static void CountCommand(string command, string outcome) =>
        Commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Makes <paramref name="supervisor"/>'s processes part of the processes gauge until the returned handle is disposed.</summary>
    public static IDisposable Track(ProcessSupervisor supervisor)
    {
        lock (SupervisorsLock)
        {
            Supervisors.Add(supervisor);
        }

        return new Tracking(supervisor);
    }

    /// <summary>The <c>state</c> tag: snake_case, as OpenTelemetry's semantic conventions spell values.</summary>
    public static string StateTag(ProcessState state) => state switch
    {
        ProcessState.Pending => "pending",
        ProcessState.Starting => "starting",
        ProcessState.Running => "running",
        ProcessState.BackingOff => "backing_off",
        ProcessState.GivenUp => "given_up",
        ProcessState.Exited => "exited",
        ProcessState.Stopping => "stopping",
        ProcessState.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "A process state without a tag: add it here."),
    };

    private static string KindTag(ProcessKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// One measurement per state for every kind of process seen so far, zeros included: a state that emptied must read
    /// 0, not the last value it had (an observed series that the callback stops returning keeps its last value).
    /// </summary>
    private static List<Measurement<int>> ObserveProcesses()
    {
        var counts = new Dictionary<(ProcessState State, ProcessKind Kind), int>();
        lock (SupervisorsLock)
        {
            foreach (var process in Supervisors.SelectMany(s => s.Snapshot()))
            {
                KindsSeen.Add(process.Kind);
                counts[(process.State, process.Kind)] = counts.GetValueOrDefault((process.State, process.Kind)) + 1;
            }

            return [.. KindsSeen.SelectMany(kind => Enum.GetValues<ProcessState>().Select(state => new Measurement<int>(
                counts.GetValueOrDefault((state, kind)),
                new KeyValuePair<string, object?>("state", StateTag(state)),
                new KeyValuePair<string, object?>("kind", KindTag(kind)))))];
        }
    }

    private sealed class Tracking(ProcessSupervisor supervisor) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (SupervisorsLock)
                {
                    Supervisors.Remove(supervisor);
                }
            }
        }
    }
}
