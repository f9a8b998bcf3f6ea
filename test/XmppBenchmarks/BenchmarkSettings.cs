using System.Globalization;

namespace Actors.XmppBenchmarks;

/// <summary>Command-line settings; the defaults are what docs/xmpp.md reports.</summary>
internal sealed record BenchmarkSettings
{
    public int Repetitions { get; init; } = 3;

    public int Window { get; init; } = 100;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<int> Pairs { get; init; } = [1, 2, 4, 8];

    /// <summary>Writes mode: how many roots the writes are spread over (so one grain's turn is not the limit).</summary>
    public int Roots { get; init; } = 1000;

    /// <summary>Writes mode: Prosody with STARTTLS (as deployed, the default) or plaintext on loopback.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>Hostile mode: Prosody with the project's rate limit (silo and writer exempt), as deployed, or without.</summary>
    public bool ProsodyLimits { get; init; } = true;

    /// <summary>Whether our benchmark clients enable XEP-0198 (on by default, as the bridge does).</summary>
    public bool StreamManagement { get; init; } = true;

    /// <summary>Extra Lua lines for Prosody's global config, to measure a setting (e.g. <c>gc = { mode = "generational" }</c>).</summary>
    public string? ProsodyConfig { get; init; }

    /// <summary>Parses <c>--repetitions N --window N --warmup S --measure S --pairs 1,2,4,8 --roots N --security starttls|plaintext --stream-management on|off --prosody-config LUA --prosody-limits on|off</c>.</summary>
    /// <summary>The XMPP server: <c>prosody</c> (the default) or <c>ejabberd</c> (one node).</summary>
    public string Server { get; init; } = "prosody";

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--repetitions" => settings with { Repetitions = int.Parse(value, CultureInfo.InvariantCulture) },
                "--window" => settings with { Window = int.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup" => settings with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--measure" => settings with { Measure = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--pairs" => settings with { Pairs = [.. value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))] },
                "--stream-management" => settings with { StreamManagement = value is "on" or "true" },
                "--prosody-config" => settings with { ProsodyConfig = value },
                "--prosody-limits" => settings with { ProsodyLimits = value is "on" or "true" },
                "--server" => settings with
                {
                    Server = value is "prosody" or "ejabberd" ? value : throw new ArgumentException($"--server {value}: use prosody or ejabberd."),
                },
                "--roots" => settings with { Roots = int.Parse(value, CultureInfo.InvariantCulture) },
                "--security" => settings with
                {
                    Tls = value switch
                    {
                        "starttls" => true,
                        "plaintext" => false,
                        _ => throw new ArgumentException($"--security {value}: use starttls or plaintext."),
                    },
                },
                _ => throw new ArgumentException($"Unknown option {args[i]}; use --server, --repetitions, --window, --warmup, --measure, --pairs, --roots, --security, --stream-management, --prosody-config, --prosody-limits."),
            };
        }

        return settings;
    }
}
