using System.Security.Cryptography;
using System.Text;

namespace Actors.XmppBridge.Client.Sasl;

/// <summary>
/// SCRAM client (RFC 5802; SHA-256 per RFC 7677) without channel binding (gs2 header <c>n,,</c>).
/// </summary>
/// <remarks>
/// RFC 5802 §5: the client MUST verify the server signature in the server-final message; a server
/// that cannot produce it does not know the password, so <see cref="Complete"/> fails authentication
/// even though the server said success. The server nonce MUST start with our nonce (§5.1 r=).
/// An iteration count below 4096 is accepted (RFC 5802 only recommends it) but bounded above so a
/// hostile server cannot make us burn CPU.
/// </remarks>
internal sealed class ScramMechanism : ISaslMechanism
{
    private const int MaxIterations = 1_000_000;
    private const string Gs2Header = "n,,";

    private readonly HashAlgorithmName _hash;
    private readonly string _user;
    private readonly string _password;
    private readonly string _clientNonce;
    private string _clientFirstBare = string.Empty;
    private byte[]? _expectedServerSignature;

    public ScramMechanism(HashAlgorithmName hash, string user, string password, string? clientNonce = null)
    {
        _hash = hash;
        _user = user;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        Name = hash == HashAlgorithmName.SHA256 ? "SCRAM-SHA-256" : hash == HashAlgorithmName.SHA1 ? "SCRAM-SHA-1"
            : throw new ArgumentOutOfRangeException(nameof(hash), hash, "Only SHA-1 and SHA-256 are supported.");
    }

    public string Name { get; }

    public byte[] InitialResponse()
    {
        _clientFirstBare = "n=" + EscapeName(_user) + ",r=" + _clientNonce;
        return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
    }

    public byte[] Respond(ReadOnlySpan<byte> challenge)
    {
        var serverFirst = Encoding.UTF8.GetString(challenge);
        var fields = ParseFields(serverFirst);
        if (fields.ContainsKey('m'))
        {
            throw Fail("SCRAM mandatory extension not supported");
        }

        if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw Fail("server nonce does not extend the client nonce");
        }

        if (!fields.TryGetValue('s', out var saltText) || !fields.TryGetValue('i', out var iterationText)
            || !int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > MaxIterations)
        {
            throw Fail("server-first message lacks a valid salt or iteration count");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            throw Fail("salt is not base64");
        }

        var clientFinalWithoutProof = "c=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Gs2Header)) + ",r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);

        var hashLength = _hash == HashAlgorithmName.SHA256 ? 32 : 20;
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Normalize(_password)), salt, iterations, _hash, hashLength);
        var clientKey = Hmac(saltedPassword, "Client Key"u8);
        var storedKey = _hash == HashAlgorithmName.SHA256 ? SHA256.HashData(clientKey) : SHA1.HashData(clientKey);
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverKey = Hmac(saltedPassword, "Server Key"u8);
        _expectedServerSignature = Hmac(serverKey, authMessage);
        return Encoding.UTF8.GetBytes(clientFinalWithoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    public void Complete(ReadOnlySpan<byte> additionalData)
    {
        if (_expectedServerSignature is null)
        {
            throw Fail("server reported success before the SCRAM exchange finished");
        }

        var fields = ParseFields(Encoding.UTF8.GetString(additionalData));
        if (fields.TryGetValue('e', out var error))
        {
            throw new XmppAuthenticationException("not-authorized", $"SCRAM server error: {error}");
        }

        byte[] signature;
        try
        {
            signature = fields.TryGetValue('v', out var v) ? Convert.FromBase64String(v) : [];
        }
        catch (FormatException)
        {
            signature = [];
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw Fail("server signature does not verify: the server does not know the password");
        }
    }

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);

    // RFC 5802 §5.1: '=' and ',' in the user name are escaped as =3D and =2C.
    private static string EscapeName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    // SASLprep (RFC 4013) is NFKC plus prohibitions; ASCII passwords are unchanged by it, and for the
    // rest NFKC is the part that changes bytes. Invariant-globalisation builds may lack normalisation data.
    private static string Normalize(string password)
    {
        if (Ascii.IsValid(password))
        {
            return password;
        }

        try
        {
            return password.Normalize(NormalizationForm.FormKC);
        }
        catch (PlatformNotSupportedException)
        {
            return password;
        }
    }

    private static Dictionary<char, string> ParseFields(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                fields.TryAdd(part[0], part[2..]);
            }
        }

        return fields;
    }

    private static XmppAuthenticationException Fail(string reason) => new("malformed-request", reason);
}
