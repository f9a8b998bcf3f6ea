using System.Text.RegularExpressions;

namespace Actors.Contracts.Hosting;

/// <summary>Helpers for StackExchange.Redis connection strings.</summary>
public static partial class RedisConnection
{
    /// <summary>Removes <c>password=…</c> (and <c>user=…</c>) from a connection string so it can be logged.</summary>
    public static string Redact(string? connectionString)
        => string.IsNullOrWhiteSpace(connectionString) ? "(none)" : SecretPart().Replace(connectionString, "$1=***");

    [GeneratedRegex(@"\b(password|user)\s*=\s*[^,]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPart();
}
