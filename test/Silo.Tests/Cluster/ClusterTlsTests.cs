using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// Silo ports bind to the advertised address, and mutual TLS between silos and clients is one setting (docs/security.md):
/// a real silo process with <c>Actors:Tls</c> and certificates generated here, against clients with the cluster's
/// certificate, without TLS, and with a certificate of another CA.
/// </summary>
public sealed class ClusterTlsTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actors-tls-").FullName;
    private RedisServer? _redis;
    private ClusterTestScope? _scope;

    [Fact]
    public async Task Silos_JoinOverTls_ListenOnTheirAdvertisedAddressOnly_AndServeAClientWithTheClusterCertificate()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = IssueCertificates("cluster", "silo");
        var silo = await StartTlsSiloAsync(cluster, ct);
        await _scope!.StartSiloAsync(TlsSiloOptions("tls-2", cluster), ct);

        var client = await _scope!.StartClientAsync(ct, WithTls(cluster));
        await Eventually.SucceedsAsync("two active silos: the second joined the first over TLS", () => client.Management.GetHosts(onlyActive: true), h => h.Count == 2, TimeSpan.FromSeconds(30), ct);
        var root = ClusterTestScope.NewRoot();
        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"tls":true}"""))).Version.Should().Be(1);
        (await client.Root(root).ReadAsync()).Json.Should().Be("""{"tls":true}""");

        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners();
        foreach (var port in new[] { silo.SiloPort, silo.GatewayPort })
        {
            listeners.Where(l => l.Port == port).Select(l => l.Address).Should().Equal([IPAddress.Loopback],
                "port {0} must be bound to the advertised address 127.0.0.1, not to every interface", port);
        }
    }

    [Fact]
    public async Task Silo_RefusesClientsWithoutTls_AndWithACertificateOfAnotherCa()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = IssueCertificates("cluster", "silo");
        var rogue = IssueCertificates("rogue", "intruder");
        await StartTlsSiloAsync(cluster, ct);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var plain = () => _scope!.StartClientAsync(limit.Token, WithTls(new ClusterTlsOptions()));
        // The intruder trusts the cluster's CA, so only the silo's check of the client certificate can stop it.
        var foreign = () => _scope!.StartClientAsync(limit.Token, WithTls(new ClusterTlsOptions
        {
            CertificatePath = rogue.CertificatePath,
            KeyPath = rogue.KeyPath,
            CaPath = cluster.CaPath,
        }));

        await plain.Should().ThrowAsync<Exception>("a client without TLS cannot complete the handshake");
        await foreign.Should().ThrowAsync<Exception>("the silo accepts only certificates of the cluster's CA");
    }

    private ActorsClusterOptions WithTls(ClusterTlsOptions tls) =>
        new() { Redis = _scope!.Cluster.Redis, ClusterId = _scope.Cluster.ClusterId, ServiceId = _scope.Cluster.ServiceId, Tls = tls };

    private async Task<TestInfrastructure.Silos.SiloProcess> StartTlsSiloAsync(ClusterTlsOptions tls, CancellationToken ct)
    {
        _redis = await RedisServer.StartNewAsync(cancellationToken: ct);
        _scope = new ClusterTestScope(_redis.ConnectionString, "tls");
        return await _scope.StartSiloAsync(TlsSiloOptions("tls", tls), ct);
    }

    private TestInfrastructure.Silos.SiloProcessOptions TlsSiloOptions(string name, ClusterTlsOptions tls) => _scope!.SiloOptions(name) with
    {
        Environment = new Dictionary<string, string?>
        {
            ["Actors__Tls__CertificatePath"] = tls.CertificatePath,
            ["Actors__Tls__KeyPath"] = tls.KeyPath,
            ["Actors__Tls__CaPath"] = tls.CaPath,
        },
    };

    /// <summary>A CA and one certificate it signs (server and client authentication), as PEM files.</summary>
    private ClusterTlsOptions IssueCertificates(string caName, string name)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));

        var options = new ClusterTlsOptions
        {
            CertificatePath = Path.Combine(_directory, $"{name}.crt"),
            KeyPath = Path.Combine(_directory, $"{name}.key"),
            CaPath = Path.Combine(_directory, $"{caName}-ca.crt"),
        };
        File.WriteAllText(options.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(options.KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(options.CaPath, ca.ExportCertificatePem());
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
