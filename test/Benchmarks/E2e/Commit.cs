using Actors.TestInfrastructure.Processes;

namespace Actors.Benchmarks.E2e;

/// <summary>The checkout's short commit hash, with <c>-dirty</c> when tracked files differ from it.</summary>
internal static class Commit
{
    private static Task<string>? _described;

    /// <summary>Described once per run, so files the run writes do not change the answer.</summary>
    public static Task<string> DescribeAsync() => _described ??= DescribeOnceAsync();

    private static async Task<string> DescribeOnceAsync()
    {
        var root = RepositoryRoot.Find();
        try
        {
            var head = await ManagedProcess.RunAsync("git", ["-C", root, "rev-parse", "--short=10", "HEAD"], TimeSpan.FromSeconds(20));
            var diff = await ManagedProcess.RunAsync("git", ["-C", root, "diff", "--quiet", "HEAD", "--", "src", "test"], TimeSpan.FromSeconds(20));
            return head.StandardOutput.Trim() + (diff.ExitCode == 0 ? "" : "-dirty");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return "unknown";
        }
    }
}
