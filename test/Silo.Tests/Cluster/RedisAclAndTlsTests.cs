using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure.Redis;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// A Redis that wants an ACL user (<c>user=…,password=…</c>) or TLS (<c>ssl=true</c>): the silo stores roots through it
/// and never logs the user name or the password (docs/configuration.md, Redis ACL users and TLS).
/// </summary>
public sealed class RedisAclAndTlsTests : IAsyncDisposable
{
    private const string User = "actors-silo-user";
    private const string Password = "acl-pass-90210-secret";

    private RedisServer? _redis;
    private ClusterTestScope? _scope;

    [Fact]
    public async Task Silo_RedisAclUser_StoresRootsAndNeverLogsTheUserOrPassword()
    {
        var ct = TestContext.Current.CancellationToken;
        _redis = await RedisServer.StartNewAsync(new RedisServerOptions { User = User, Password = Password }, ct);
        // The default user is off: without the user name, the password alone is refused.
        var withoutUser = async () => await RespClient.ExecuteAsync(_redis.Port, ["AUTH", Password], TimeSpan.FromSeconds(5), ct);
        (await withoutUser.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*WRONGPASS*");
        _scope = new ClusterTestScope(_redis.ConnectionString, "acl");
        var silo = await _scope.StartSiloAsync("acl", ct);
        var client = await _scope.StartClientAsync(ct);
        var root = ClusterTestScope.NewRoot();

        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"acl":1}"""))).Version.Should().Be(1);
        (await client.Root(root).ReadAsync()).Json.Should().Be("""{"acl":1}""");

        silo.RecentOutput.Should().Contain("Redis=127.0.0.1:", "the banner names the Redis it uses").And.NotContain(Password).And.NotContain(User);
    }

    [Fact]
    public async Task Silo_RedisOverTls_StoresRootsAndNeverLogsThePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        _redis = await RedisServer.StartNewAsync(new RedisServerOptions { Password = Password, Tls = true }, ct);
        _scope = new ClusterTestScope(_redis.TlsConnectionString, "tls");
        // The silo trusts the throwaway certificate through OpenSSL's SSL_CERT_FILE, which .NET on Linux honours for its
        // root store (docs/configuration.md); its only way to Redis is the TLS port.
        var silo = await _scope.StartSiloAsync(
            _scope.SiloOptions("tls") with { Environment = new Dictionary<string, string?> { ["SSL_CERT_FILE"] = _redis.CertificatePath } }, ct);
        // The test's own client reads membership over the plain port of the same server.
        var client = await _scope.StartClientAsync(
            ct, new ActorsClusterOptions { Redis = _redis.ConnectionString, ClusterId = _scope.Cluster.ClusterId, ServiceId = _scope.Cluster.ServiceId });
        var root = ClusterTestScope.NewRoot();

        (await client.Root(root).WriteAsync(WriteCommand.Put(ClusterTestScope.NewWriteId(), """{"tls":1}"""))).Version.Should().Be(1);
        (await client.Root(root).ReadAsync()).Json.Should().Be("""{"tls":1}""");

        silo.RecentOutput.Should().Contain($"Redis=127.0.0.1:{_redis.TlsPort}", "the banner names the TLS port").And.NotContain(Password);
        var clients = await RespClient.ExecuteManyAsync(_redis.Port, [["AUTH", Password], ["CLIENT", "LIST"]], TimeSpan.FromSeconds(5), ct);
        clients[1]!.Split('\n').Should().Contain(
            line => line.Contains("name=actors-", StringComparison.Ordinal) && line.Contains($"laddr=127.0.0.1:{_redis.TlsPort} ", StringComparison.Ordinal),
            "the silo's storage connections came in on the TLS port");
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
    }
}
