using System.Security.Cryptography.X509Certificates;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>A self-signed certificate for one XMPP domain, generated with openssl into a directory.</summary>
/// <param name="CertificatePath">PEM certificate (what clients pin).</param>
/// <param name="KeyPath">PEM private key.</param>
/// <param name="CombinedPath">Certificate followed by key in one PEM (what ejabberd wants).</param>
public sealed record SelfSignedCertificate(string CertificatePath, string KeyPath, string CombinedPath)
{
    /// <summary>Loads the certificate, for clients that trust it explicitly.</summary>
    public X509Certificate2 Load() => X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));

    /// <summary>Generates a P-256 certificate valid two days for <paramref name="domain"/> (CN and subjectAltName).</summary>
    public static async Task<SelfSignedCertificate> GenerateAsync(string directory, string domain, CancellationToken cancellationToken = default)
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var certificate = Path.Combine(directory, $"{domain}.crt");
        var key = Path.Combine(directory, $"{domain}.key");
        (await ManagedProcess.RunAsync(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2",
                "-subj", $"/CN={domain}", "-addext", $"subjectAltName=DNS:{domain}",
            ],
            TimeSpan.FromSeconds(30),
            cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess("openssl req (self-signed certificate)");
        var combined = Path.Combine(directory, $"{domain}.pem");
        await File.WriteAllTextAsync(
            combined,
            await File.ReadAllTextAsync(certificate, cancellationToken).ConfigureAwait(false) + await File.ReadAllTextAsync(key, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return new SelfSignedCertificate(certificate, key, combined);
    }
}
