using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Actors.Silo.Storage;

/// <summary>The SHA-1 digests Redis names Lua scripts by (EVALSHA), computed once per script text.</summary>
internal static class ScriptDigests
{
    private static readonly ConcurrentDictionary<string, string> Digests = new(StringComparer.Ordinal);

    /// <summary>The lowercase hex SHA-1 of <paramref name="script"/>, as <c>SCRIPT LOAD</c> answers it.</summary>
    public static string Of(string script) =>
        Digests.GetOrAdd(script, static text => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text))));
}
