using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>
/// Runs Python scripts that use slixmpp, with Debian's interpreter (a pyenv python3 earlier on
/// PATH usually lacks python3-slixmpp).
/// </summary>
public static class SlixmppScript
{
    /// <summary>The interpreter every script runs with.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly SemaphoreSlim CheckGate = new(1, 1);
    private static bool _checked;

    /// <summary>Runs <c>/usr/bin/python3 script args…</c> to completion.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<ProcessResult> RunAsync(string scriptPath, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await EnsureAvailableAsync(cancellationToken).ConfigureAwait(false);
        return await ManagedProcess.RunAsync(Python, [scriptPath, .. arguments], timeout, environment: Environment(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a long-running script (e.g. a receiver) the caller waits on and disposes.</summary>
    public static async Task<ManagedProcess> StartAsync(string scriptPath, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        await EnsureAvailableAsync(cancellationToken).ConfigureAwait(false);
        return ManagedProcess.Start(Python, [scriptPath, .. arguments], environment: Environment());
    }

    /// <summary>Fails with the apt package to install when Debian's python3 or slixmpp is missing.</summary>
    public static async Task EnsureAvailableAsync(CancellationToken cancellationToken = default)
    {
        await CheckGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_checked)
            {
                return;
            }

            ExternalTool.Require(Python, "python3-slixmpp");
            var result = await ManagedProcess.RunAsync(Python, ["-c", "import slixmpp; print(slixmpp.__version__)"], TimeSpan.FromSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw ExternalTool.Missing($"python module slixmpp for {Python} ({result.StandardError.Trim()})", "python3-slixmpp");
            }

            _checked = true;
        }
        finally
        {
            CheckGate.Release();
        }
    }

    // Unbuffered output so lines such as READY reach the fixture as soon as they are printed.
    private static Dictionary<string, string?> Environment() => new() { ["PYTHONUNBUFFERED"] = "1", ["PYTHONPATH"] = null, ["PYTHONHOME"] = null };
}
