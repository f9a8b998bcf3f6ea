using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Observability;

/// <summary>
/// Debian's <c>chromium</c>, headless, as a person's browser: loads a page, lets its scripts run for a while of virtual
/// time, and returns the DOM they built or saves a screenshot. Each call is its own browser with its own profile directory.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The serialized DOM of <paramref name="url"/> after <paramref name="scriptTime"/> of virtual time.</summary>
    public static async Task<string> DumpDomAsync(Uri url, TimeSpan scriptTime, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["--dump-dom", .. Common(scriptTime), url.ToString()], cancellationToken);
        return result.StandardOutput;
    }

    /// <summary>Saves a PNG of <paramref name="url"/> (<paramref name="width"/> × <paramref name="height"/>) to <paramref name="path"/>.</summary>
    public static async Task ScreenshotAsync(Uri url, string path, TimeSpan scriptTime, int width = 1400, int height = 900, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.Delete(path);
        var result = await RunAsync([$"--screenshot={Path.GetFullPath(path)}", $"--window-size={width},{height}", "--hide-scrollbars", .. Common(scriptTime), url.ToString()], cancellationToken);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"chromium saved no screenshot of {url}:\n{result.StandardError}");
        }
    }

    /// <summary>The checkout's <c>TestResults/</c> folder (beside Actors.sln), where pages' screenshots go.</summary>
    public static string TestResultsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return Path.Combine(directory.FullName, "TestResults");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "TestResults");
    }

    private static IEnumerable<string> Common(TimeSpan scriptTime) =>
    [
        "--headless",
        // Tests run as root in CI, where Chromium's sandbox cannot start.
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        $"--virtual-time-budget={(long)scriptTime.TotalMilliseconds}",
    ];

    private static async Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var executable = ExternalTool.Require("chromium", "chromium");
        using var profile = TempDirectory.Create("chromium");
        var result = await ManagedProcess.RunAsync(executable, [$"--user-data-dir={profile.Path}", .. arguments], Timeout,
            environment: new Dictionary<string, string?> { ["HOME"] = profile.Path }, cancellationToken: cancellationToken);
        return result.EnsureSuccess("chromium " + string.Join(' ', arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal))));
    }
}
