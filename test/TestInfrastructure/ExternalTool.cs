namespace Actors.TestInfrastructure;

/// <summary>Finds the server binaries the fixtures start, failing with the apt package to install.</summary>
public static class ExternalTool
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"];

    /// <summary>Returns the full path of <paramref name="executable"/> or throws naming the package.</summary>
    /// <param name="executable">A bare name (searched on PATH and the sbin directories) or an absolute path.</param>
    /// <param name="aptPackage">The Debian package that provides it.</param>
    public static string Require(string executable, string aptPackage)
    {
        if (Path.IsPathRooted(executable))
        {
            return File.Exists(executable) ? executable : throw Missing(executable, aptPackage);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(directory, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw Missing(executable, aptPackage);
    }

    internal static InvalidOperationException Missing(string what, string aptPackage) =>
        new($"'{what}' was not found. These tests start real servers and never skip: install it with " +
            $"`apt-get install {aptPackage}` (all of them: `apt-get install redis-server prosody ejabberd python3-slixmpp openssl prometheus chromium`).");
}
