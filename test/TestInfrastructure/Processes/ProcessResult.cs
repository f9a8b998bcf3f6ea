namespace Actors.TestInfrastructure.Processes;

/// <summary>Outcome of a short-lived command run by <see cref="ManagedProcess.RunAsync"/>.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Throws with the command's output when it did not exit with 0.</summary>
    public ProcessResult EnsureSuccess(string description)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{description} failed with exit code {ExitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        return this;
    }
}
