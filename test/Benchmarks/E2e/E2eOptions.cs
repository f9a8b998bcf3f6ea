using System.Globalization;

namespace Actors.Benchmarks.E2e;

/// <summary>Command-line settings of the <c>e2e</c> mode.</summary>
internal sealed record E2eOptions
{
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int Repetitions { get; init; } = 3;

    public int Callers { get; init; } = 64;

    public int Roots { get; init; } = 1000;

    public int MemoryRoots { get; init; } = 100_000;

    public bool Http { get; init; } = true;

    public bool Memory { get; init; } = true;

    public bool Scaling { get; init; } = true;

    public bool Profile { get; init; }

    public bool UpdateDocs { get; init; } = true;

    public static E2eOptions Parse(IReadOnlyList<string> args)
    {
        var options = new E2eOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--reps" => options with { Repetitions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--memory-roots" => options with { MemoryRoots = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-http" => options with { Http = false },
                "--no-memory" => options with { Memory = false },
                "--no-scaling" => options with { Scaling = false },
                "--no-docs" => options with { UpdateDocs = false },
                "--profile" => options with { Profile = true },
                "--quick" => options with { Warmup = TimeSpan.FromSeconds(2), Duration = TimeSpan.FromSeconds(4), Repetitions = 1, MemoryRoots = 10_000, UpdateDocs = false },
                var unknown => throw new ArgumentException(
                    $"Unknown option {unknown}. Options: --warmup S --duration S --reps N --memory-roots N --no-http --no-memory --no-scaling --no-docs --profile --quick"),
            };
        }
        return options;
    }
}
