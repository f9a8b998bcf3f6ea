using Actors.Agent.Options;

namespace Actors.Agent.Supervision;

/// <summary>Fills the <c>{key}</c> placeholders of a template process (silo template, node directories).</summary>
internal static class Placeholders
{
    /// <summary>A copy of <paramref name="template"/> named <paramref name="name"/>, with every placeholder replaced in every string.</summary>
    public static ProcessOptions Apply(ProcessOptions template, string name, IReadOnlyDictionary<string, string> values)
    {
        string? Fill(string? text)
        {
            if (text is null)
            {
                return null;
            }

            foreach (var (key, value) in values)
            {
                text = text.Replace("{" + key + "}", value, StringComparison.Ordinal);
            }

            return text;
        }

        var copy = new ProcessOptions
        {
            Name = name,
            Group = Fill(template.Group),
            Kind = template.Kind,
            Shell = Fill(template.Shell),
            Command = Fill(template.Command),
            WorkingDirectory = Fill(template.WorkingDirectory),
            ReadyPort = Fill(template.ReadyPort),
            ReadyHost = Fill(template.ReadyHost)!,
            ReadyUrl = Fill(template.ReadyUrl),
            ReadyLogText = Fill(template.ReadyLogText),
            ReadyTimeout = template.ReadyTimeout,
            StopGrace = template.StopGrace,
            FirstRestartDelay = template.FirstRestartDelay,
            RestartOnCleanExit = template.RestartOnCleanExit,
        };
        copy.Arguments.AddRange(template.Arguments.Select(a => Fill(a)!));
        foreach (var (key, value) in template.Environment)
        {
            copy.Environment[key] = Fill(value)!;
        }

        return copy;
    }

    /// <summary>Replaces the placeholders of one string.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            text = text.Replace("{" + key + "}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
