using Actors.TestInfrastructure;

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>A gateway whose cluster is unreachable: its silo gateway port has no listener, and no silo ever starts.</summary>
public sealed class UnreachableClusterFixture : IAsyncLifetime
{
    /// <summary>The <c>Retry-After</c> configured, distinct from the default so the test sees configuration work.</summary>
    public const int RetryAfterSeconds = 7;

    private GatewayFactory? _gateway;

    /// <summary>A client of the gateway.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public ValueTask InitializeAsync()
    {
        var port = FreePort.Allocate();
        _gateway = new GatewayFactory(port, "nowhere", "nowhere", new Dictionary<string, string?>
        {
            ["Gateway:RetryAfterSeconds"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:MaxRequestBodyBytes"] = "65536",
        });
        Client = _gateway.CreateClient();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
