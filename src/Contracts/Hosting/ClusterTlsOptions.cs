namespace Actors.Contracts.Hosting;

/// <summary>
/// Mutual TLS between silos and between clients (gateways, <c>AddActorsClient()</c> apps) and silos, bound from
/// <c>Actors:Tls</c> (docs/security.md). Off while <see cref="CertificatePath"/> is unset; when set, every Orleans
/// connection is TLS, each side presents its certificate, and each accepts only peers whose certificate chains to
/// <see cref="CaPath"/>. Silos and clients must all have it on, or all off.
/// </summary>
public sealed class ClusterTlsOptions
{
    /// <summary>This process's certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; unset for a PKCS#12 file or a PEM holding both.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, if any.</summary>
    [Secret]
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file of the certificate authority (or authorities) every peer's certificate must chain to.</summary>
    public string? CaPath { get; set; }

    /// <summary>True when a certificate is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <inheritdoc/>
    public override string ToString() => Enabled ? $"mutual TLS (certificate {CertificatePath}, CA {CaPath})" : "off";
}
