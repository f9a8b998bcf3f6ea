using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Actors.Contracts.Hosting;

/// <summary>
/// Turns <see cref="ClusterTlsOptions"/> into Orleans' <see cref="TlsOptions"/>, the same way on silos and clients:
/// present our certificate, require the peer's, and accept it only if it chains to the configured CA. Host names are
/// not checked — silos are reached by IP address and their certificates need not name it — so the CA is the trust
/// boundary: use one that signs nothing but this cluster's certificates.
/// </summary>
public static class ClusterTls
{
    /// <summary>Loads this process's certificate (with its private key).</summary>
    public static X509Certificate2 LoadCertificate(ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath!;
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath);
    }

    /// <summary>Loads the CA certificates peers must chain to.</summary>
    public static X509Certificate2Collection LoadAuthorities(ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(options.CaPath!);
        return authorities;
    }

    /// <summary>Configures Orleans' TLS for mutual authentication against <paramref name="authorities"/>.</summary>
    public static void Configure(TlsOptions tls, X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        ArgumentNullException.ThrowIfNull(tls);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => ChainsTo(remote, authorities);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to one of <paramref name="authorities"/> (and is valid now).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
