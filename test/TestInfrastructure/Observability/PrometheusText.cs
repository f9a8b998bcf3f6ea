using System.Globalization;
using System.Text.RegularExpressions;

namespace Actors.TestInfrastructure.Observability;

/// <summary>
/// Reads the Prometheus text exposition format (0.0.4) that the gateway's <c>/metrics</c> and the silos' and agents'
/// listeners serve, failing the test on any line that is not in it.
/// </summary>
public static partial class PrometheusText
{
    /// <summary>
    /// Parses <paramref name="text"/>: every line a comment (<c># HELP</c>, <c># TYPE</c>, <c># EOF</c>) or a sample
    /// <c>name{labels} value [timestamp]</c>; returns the samples' values by metric name (summed over labels).
    /// </summary>
    public static Dictionary<string, double> Parse(string text) =>
        Samples(text).GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(s => s.Value), StringComparer.Ordinal);

    /// <summary>Every sample of <paramref name="text"/> with its labels, in order; fails on a line that is not the format.</summary>
    public static List<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string text)
    {
        var samples = new List<(string, IReadOnlyDictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                line.Should().Match(l => l.Length == 0 || l.StartsWith("# HELP ", StringComparison.Ordinal) || l.StartsWith("# TYPE ", StringComparison.Ordinal) || l == "# EOF");
                continue;
            }
            var match = SampleLine().Match(line);
            match.Success.Should().BeTrue($"'{line}' should be a Prometheus sample line");
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            var labels = match.Groups["key"].Captures.Select((key, i) => (key.Value, Unescape(match.Groups["label"].Captures[i].Value)))
                .ToDictionary(l => l.Item1, l => l.Item2, StringComparer.Ordinal);
            samples.Add((match.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    private static string Unescape(string value) =>
        value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<label>([^"\\]|\\.)*)",?)*\})? (?<value>[-+0-9.eE]+|[+-]Inf|NaN)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();
}
