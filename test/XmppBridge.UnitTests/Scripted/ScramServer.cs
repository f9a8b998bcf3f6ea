using System.Security.Cryptography;
using System.Text;

namespace Actors.XmppBridge.UnitTests.Scripted;

/// <summary>
/// The server side of SCRAM-SHA-256 (RFC 5802 §3, RFC 7677) for a known password: checks the client's proof
/// and produces the server signature the client must verify.
/// </summary>
internal sealed class ScramServer(string password)
{
    private const int Iterations = 4096;
    private static readonly byte[] Salt = "scripted-salt"u8.ToArray();

    private string _clientFirstBare = string.Empty;
    private string _serverFirst = string.Empty;

    public string User { get; private set; } = string.Empty;

    /// <summary>Takes the client-first message (gs2 header included) and returns server-first.</summary>
    public string Challenge(string clientFirst)
    {
        clientFirst.Should().StartWith("n,,", "no channel binding is used");
        _clientFirstBare = clientFirst[3..];
        var fields = Fields(_clientFirstBare);
        User = fields['n'];
        _serverFirst = $"r={fields['r']}server-nonce,s={Convert.ToBase64String(Salt)},i={Iterations}";
        return _serverFirst;
    }

    /// <summary>Checks client-final (nonce, channel binding, proof) and returns server-final with the signature.</summary>
    public string Verify(string clientFinal)
    {
        var withoutProof = clientFinal[..clientFinal.IndexOf(",p=", StringComparison.Ordinal)];
        var fields = Fields(clientFinal);
        fields['c'].Should().Be(Convert.ToBase64String("n,,"u8));
        fields['r'].Should().Be(Fields(_serverFirst)['r']);
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var clientSignature = HMACSHA256.HashData(SHA256.HashData(clientKey), authMessage);
        var proof = Convert.FromBase64String(fields['p']);
        var recoveredKey = proof.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        recoveredKey.Should().Equal(clientKey, "the client proof must come from the password");
        var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
        return "v=" + Convert.ToBase64String(serverSignature);
    }

    private static Dictionary<char, string> Fields(string message) =>
        message.Split(',').Where(p => p.Length >= 2 && p[1] == '=').ToDictionary(p => p[0], p => p[2..]);
}
