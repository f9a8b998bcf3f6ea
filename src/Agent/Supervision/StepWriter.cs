using System.Globalization;

namespace Actors.Agent.Supervision;

/// <summary>
/// The agent's console: one line per step with the local time, e.g. <c>[02:41:07] silo-2 ready (4.1 s)</c>, like
/// <c>./actors</c> prints its own steps. Thread-safe; problems go to the error writer.
/// </summary>
public sealed class StepWriter(TextWriter output, TextWriter error, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();

    /// <summary>A writer on the process's stdout and stderr.</summary>
    public static StepWriter Console() => new(System.Console.Out, System.Console.Error);

    /// <summary>A step.</summary>
    public void Step(string text) => Write(output, text);

    /// <summary>A problem.</summary>
    public void Problem(string text) => Write(error, text);

    /// <summary>Lines as they are: a log tail (indented), or a setup's own output (<paramref name="indent"/> false).</summary>
    public void Raw(IEnumerable<string> lines, bool problem = false, bool indent = true)
    {
        lock (_lock)
        {
            var writer = problem ? error : output;
            foreach (var line in lines)
            {
                writer.WriteLine(indent ? "    " + line : line);
            }

            writer.Flush();
        }
    }

    /// <summary>Seconds with one decimal, e.g. <c>4.1 s</c>.</summary>
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private void Write(TextWriter writer, string text)
    {
        var stamp = _time.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            writer.WriteLine($"[{stamp}] {text}");
            writer.Flush();
        }
    }
}
