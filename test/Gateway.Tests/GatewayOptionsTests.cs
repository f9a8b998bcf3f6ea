using Actors.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Tests;

/// <summary>Gateway settings are validated when the gateway starts, with messages that name the setting.</summary>
public sealed class GatewayOptionsTests
{
    [Fact]
    public async Task Start_RequestBodyLimitTooSmall_FailsNamingTheSetting()
    {
        await using var gateway = new GatewayFactory(FreePortForNobody, "options", "options", new Dictionary<string, string?>
        {
            ["Gateway:MaxRequestBodyBytes"] = "10",
        });

        var act = () => gateway.CreateClient();

        act.Should().Throw<OptionsValidationException>().WithMessage("Gateway:MaxRequestBodyBytes must be at least 1024 bytes, not 10.");
    }

    [Fact]
    public async Task Start_EmptyClusterId_FailsNamingTheSetting()
    {
        await using var gateway = new GatewayFactory(FreePortForNobody, " ", "options");

        var act = () => gateway.CreateClient();

        act.Should().Throw<OptionsValidationException>().WithMessage("Actors:ClusterId must not be empty*");
    }

    /// <summary>No silo is needed: the gateway must refuse to start before it looks for one.</summary>
    private const int FreePortForNobody = 1;
}
