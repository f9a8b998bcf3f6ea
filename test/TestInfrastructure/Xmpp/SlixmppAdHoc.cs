using System.Globalization;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>
/// Drives XEP-0050 ad-hoc commands with slixmpp's own <c>xep_0050</c> plugin (scripts/adhoc_client.py): a client
/// nobody on this project wrote, sending exactly what it sends. Each step answers one line (see the script).
/// </summary>
public static class SlixmppAdHoc
{
    /// <summary>Logs in as <paramref name="user"/> on <paramref name="server"/> and runs <paramref name="steps"/> against <paramref name="target"/>.</summary>
    /// <returns>One line per step, in order.</returns>
    /// <exception cref="InvalidOperationException">The script failed or timed out (its output is in the message).</exception>
    public static async Task<IReadOnlyList<string>> RunAsync(IXmppTestServer server, string user, string password, string resource, string target, IEnumerable<string> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "adhoc_client.py");
        var run = await SlixmppScript.RunAsync(script,
            [$"{user}@{server.Domain}/{resource}", password, server.Host, server.Port.ToString(CultureInfo.InvariantCulture), server.CertificatePath!, target, .. steps],
            TimeSpan.FromSeconds(300), cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"adhoc_client.py exited with {run.ExitCode}:\n{run.StandardOutput}\n{run.StandardError}");
        }

        return [.. run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
