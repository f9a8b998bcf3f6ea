using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Actors.Gateway.Security;

/// <summary>
/// API keys are compared by their SHA-256, in constant time: the gateway keeps no key in memory longer than startup,
/// and a timing difference cannot tell a caller how much of a guess was right.
/// </summary>
internal static class ApiKeyHash
{
    /// <summary>The SHA-256 of a key's UTF-8 bytes.</summary>
    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether two hashes are equal, taking the same time whatever they hold.</summary>
    public static bool Matches(byte[] presented, byte[] configured) => CryptographicOperations.FixedTimeEquals(presented, configured);

    /// <summary>Parses 64 hex digits.</summary>
    public static bool TryParseHex(string text, [NotNullWhen(true)] out byte[]? hash)
    {
        hash = null;
        if (text.Length != 64)
        {
            return false;
        }
        try
        {
            hash = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
