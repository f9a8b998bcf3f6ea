using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Actors.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Actors.Gateway.Tests;

/// <summary>
/// Who may call the gateway (docs/security.md): API keys and JWTs mapped to reader / writer / operator per type, 401 and
/// 403 as problems, anonymous access only when configured. A second gateway on the fixture's real silo, with
/// authentication configured and no anonymous access.
/// </summary>
public sealed class AuthTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const string ReaderKey = "reader-key-0123456789abcdef";
    private const string OrdersWriterKey = "orders-writer-key-0123456789";
    private const string OrdersOperatorKey = "orders-operator-key-0123456789";
    private const string ClusterOperatorKey = "cluster-operator-key-0123456789";
    private const string HashedKey = "hashed-key-0123456789abcdef";
    private const string SigningKey = "test-signing-key-that-is-at-least-32-bytes-long";

    private GatewayFactory _gateway = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = fixture.CreateGateway(new Dictionary<string, string?>
        {
            ["Gateway:Auth:ApiKeys:0:Name"] = "reader",
            ["Gateway:Auth:ApiKeys:0:Key"] = ReaderKey,
            ["Gateway:Auth:ApiKeys:0:Roles:0"] = "reader:*",
            ["Gateway:Auth:ApiKeys:1:Name"] = "orders-writer",
            ["Gateway:Auth:ApiKeys:1:Key"] = OrdersWriterKey,
            ["Gateway:Auth:ApiKeys:1:Roles:0"] = "writer:orders",
            ["Gateway:Auth:ApiKeys:2:Name"] = "orders-operator",
            ["Gateway:Auth:ApiKeys:2:Key"] = OrdersOperatorKey,
            ["Gateway:Auth:ApiKeys:2:Roles:0"] = "operator:orders",
            ["Gateway:Auth:ApiKeys:3:Name"] = "cluster-operator",
            ["Gateway:Auth:ApiKeys:3:Key"] = ClusterOperatorKey,
            ["Gateway:Auth:ApiKeys:3:Roles:0"] = "operator",
            ["Gateway:Auth:ApiKeys:4:Name"] = "hashed",
            ["Gateway:Auth:ApiKeys:4:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(HashedKey))),
            ["Gateway:Auth:ApiKeys:4:Roles:0"] = "writer:orders",
            ["Gateway:Auth:Jwt:SigningKey"] = SigningKey,
            ["Gateway:Auth:Jwt:Issuer"] = "https://issuer.test",
        });
        _client = _gateway.CreateClient();
        await ClusterFixture.WaitUntilReadyAsync(_client);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData("/v1/roots/orders/o1")]
    [InlineData("/v1/roots/orders")]
    [InlineData("/v1/indexes/orders")]
    [InlineData("/v1/cluster")]
    public async Task NoCredentials_IsUnauthorized_WithBearerChallenge(string url)
    {
        using var response = await _client.FetchAsync(url);

        var problem = await response.ShouldBeProblemAsync(401, "unauthorized");
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        problem.GetProperty("detail").GetString().Should().Contain("Authorization: Bearer");
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi/v1.json")]
    public async Task HealthAndOpenApi_NeedNoCredentials(string url)
    {
        using var response = await _client.FetchAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownKey_IsUnauthorized_AsAnInvalidToken()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/roots/orders/o1", "not-a-key-anybody-configured");

        var problem = await response.ShouldBeProblemAsync(401, "unauthorized");
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer error=\"invalid_token\"");
        problem.GetProperty("detail").GetString().Should().Contain("API key").And.NotContain("not-a-key-anybody-configured");
    }

    [Fact]
    public async Task Reader_ReadsAnyType_ButCannotWrite()
    {
        await WriteAsync(OrdersWriterKey, "orders", "read-me");

        using var read = await SendAsync(HttpMethod.Get, "/v1/roots/orders/read-me", ReaderKey);
        using var list = await SendAsync(HttpMethod.Get, "/v1/roots/orders", ReaderKey);
        using var write = await SendAsync(HttpMethod.Put, "/v1/roots/orders/read-me", ReaderKey, """{"n":2}""");

        read.StatusCode.Should().Be(HttpStatusCode.OK);
        list.StatusCode.Should().Be(HttpStatusCode.OK);
        var problem = await write.ShouldBeProblemAsync(403, "forbidden");
        problem.GetProperty("detail").GetString().Should().Contain("writer role on type 'orders'").And.Contain("'reader'").And.Contain("reader:*");
    }

    [Fact]
    public async Task WriterOfOneType_WritesIt_ButNotAnother()
    {
        using var own = await SendAsync(HttpMethod.Put, "/v1/roots/orders/w1", OrdersWriterKey, """{"n":1}""");
        using var other = await SendAsync(HttpMethod.Put, "/v1/roots/invoices/w1", OrdersWriterKey, """{"n":1}""");
        using var patch = await SendAsync(HttpMethod.Delete, "/v1/roots/invoices/w1", OrdersWriterKey);

        own.StatusCode.Should().Be(HttpStatusCode.Created);
        await other.ShouldBeProblemAsync(403, "forbidden");
        await patch.ShouldBeProblemAsync(403, "forbidden");
        using var check = await SendAsync(HttpMethod.Get, "/v1/roots/invoices/w1", ReaderKey);
        check.StatusCode.Should().Be(HttpStatusCode.NotFound, "the refused write changed nothing");
    }

    [Fact]
    public async Task HashedKey_IsAcceptedLikeAPlainOne()
    {
        using var response = await SendAsync(HttpMethod.Put, "/v1/roots/orders/hashed", HashedKey, """{"n":1}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task IndexManagement_NeedsOperatorOnTheType()
    {
        const string body = """{"pointer":"/status"}""";
        using var byWriter = await SendAsync(HttpMethod.Put, "/v1/indexes/orders/auth-status", OrdersWriterKey, body);
        using var byOperatorOfOther = await SendAsync(HttpMethod.Put, "/v1/indexes/invoices/auth-status", OrdersOperatorKey, body);
        using var byOperator = await SendAsync(HttpMethod.Put, "/v1/indexes/orders/auth-status", OrdersOperatorKey, body);

        await byWriter.ShouldBeProblemAsync(403, "forbidden");
        await byOperatorOfOther.ShouldBeProblemAsync(403, "forbidden");
        byOperator.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Cluster_NeedsOperatorOnEveryType()
    {
        using var byTypeOperator = await SendAsync(HttpMethod.Get, "/v1/cluster", OrdersOperatorKey);
        using var byOperator = await SendAsync(HttpMethod.Get, "/v1/cluster", ClusterOperatorKey);

        var problem = await byTypeOperator.ShouldBeProblemAsync(403, "forbidden");
        problem.GetProperty("detail").GetString().Should().Contain("operator:*");
        byOperator.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Expand_LeavesReferencesToUnreadableTypesUnloaded()
    {
        // The cluster operator writes both roots; a JWT reader of orders only then expands the order.
        using var customer = await SendAsync(HttpMethod.Put, "/v1/roots/customers/c-auth", ClusterOperatorKey, """{"name":"secret"}""");
        using var order = await SendAsync(HttpMethod.Put, "/v1/roots/orders/o-auth", ClusterOperatorKey, """{"customer":{"$ref":"customers/c-auth"},"self":{"$ref":"orders/o-auth2"}}""");
        using var other = await SendAsync(HttpMethod.Put, "/v1/roots/orders/o-auth2", ClusterOperatorKey, """{"n":2}""");
        customer.StatusCode.Should().Be(HttpStatusCode.Created);

        using var response = await SendAsync(HttpMethod.Get, "/v1/roots/orders/o-auth?expand=refs", Jwt(["reader:orders"]));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = await response.ReadJsonAsync();
        json.GetProperty("customer").GetProperty("$forbidden").GetBoolean().Should().BeTrue();
        json.GetProperty("customer").TryGetProperty("$value", out _).Should().BeFalse();
        json.GetProperty("self").GetProperty("$value").GetProperty("n").GetInt32().Should().Be(2);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().NotContain("secret");
    }

    [Fact]
    public async Task Jwt_RolesClaimGrantsPerType()
    {
        var token = Jwt(["writer:orders", "some-other-app-role"]);

        using var own = await SendAsync(HttpMethod.Put, "/v1/roots/orders/jwt1", token, """{"n":1}""");
        using var other = await SendAsync(HttpMethod.Put, "/v1/roots/invoices/jwt1", token, """{"n":1}""");

        own.StatusCode.Should().Be(HttpStatusCode.Created);
        var problem = await other.ShouldBeProblemAsync(403, "forbidden");
        problem.GetProperty("detail").GetString().Should().Contain("'user-1'").And.Contain("writer:orders");
    }

    [Fact]
    public async Task Jwt_Expired_WrongKey_WrongAudience_AreUnauthorized()
    {
        using var expired = await SendAsync(HttpMethod.Get, "/v1/roots/orders/o1", Jwt(["reader:*"], expires: DateTime.UtcNow.AddMinutes(-10)));
        using var forged = await SendAsync(HttpMethod.Get, "/v1/roots/orders/o1", Jwt(["reader:*"], key: "another-signing-key-that-is-also-32-bytes-long"));
        using var audience = await SendAsync(HttpMethod.Get, "/v1/roots/orders/o1", Jwt(["reader:*"], audience: "someone-else"));

        (await expired.ShouldBeProblemAsync(401, "unauthorized")).GetProperty("detail").GetString().Should().Contain("expired");
        (await forged.ShouldBeProblemAsync(401, "unauthorized")).GetProperty("detail").GetString().Should().Contain("signature");
        (await audience.ShouldBeProblemAsync(401, "unauthorized")).GetProperty("detail").GetString().Should().Contain("audience");
    }

    [Fact]
    public async Task Anonymous_GetsOnlyTheConfiguredGrants()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?> { ["Gateway:Auth:Anonymous:0"] = "reader:*" });
        using var client = gateway.CreateClient();
        await ClusterFixture.WaitUntilReadyAsync(client);

        using var read = await client.FetchAsync("/v1/roots/orders/anything");
        using var write = await client.SendAsync(HttpMethod.Put, "/v1/roots/orders/anon", """{"n":1}""");

        read.StatusCode.Should().Be(HttpStatusCode.NotFound, "the read got past authentication to the store");
        await write.ShouldBeProblemAsync(401, "unauthorized");
    }

    [Theory]
    [InlineData("Gateway:Auth:Anonymous:0", "admin:*", "Gateway:Auth:Anonymous: 'admin:*' is not a role grant*")]
    [InlineData("Gateway:Auth:Anonymous:0", "reader:Bad Type", "Gateway:Auth:Anonymous: 'reader:Bad Type' names the type*")]
    [InlineData("Gateway:Auth:Jwt:SigningKey", "short", "Gateway:Auth:Jwt:SigningKey must be at least 32 bytes*")]
    public async Task Start_BadAuthSettings_FailNamingTheSetting(string key, string value, string message)
    {
        await using var gateway = new GatewayFactory(1, "auth-options", "auth-options", new Dictionary<string, string?> { [key] = value });

        var act = () => gateway.CreateClient();

        act.Should().Throw<OptionsValidationException>().WithMessage(message);
    }

    [Fact]
    public async Task Start_ShortApiKey_FailsNamingTheSetting()
    {
        await using var gateway = new GatewayFactory(1, "auth-options", "auth-options", new Dictionary<string, string?>
        {
            ["Gateway:Auth:ApiKeys:0:Name"] = "short",
            ["Gateway:Auth:ApiKeys:0:Key"] = "tooshort",
            ["Gateway:Auth:ApiKeys:0:Roles:0"] = "reader",
        });

        var act = () => gateway.CreateClient();

        act.Should().Throw<OptionsValidationException>().WithMessage("Gateway:Auth:ApiKeys:0:Key is 8 characters; use at least 16*");
    }

    private async Task WriteAsync(string key, string type, string id)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/v1/roots/{type}/{id}", key, """{"n":1}""");
        response.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, string? body = null)
    {
        var request = HttpExtensions.Request(method, url, body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static string Jwt(string[] roles, DateTime? expires = null, string key = SigningKey, string audience = "actors")
    {
        var claims = new Dictionary<string, object> { ["roles"] = roles };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
            Claims = claims,
            Issuer = "https://issuer.test",
            Audience = audience,
            NotBefore = (expires ?? now.AddMinutes(10)).AddMinutes(-20),
            IssuedAt = (expires ?? now.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
