using System.Net;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Options;

/// <summary>Fails startup with a message naming the setting when a <see cref="SiloEndpointOptions"/> value is out of range.</summary>
internal sealed class SiloEndpointOptionsValidator : IValidateOptions<SiloEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"{SiloEndpointOptions.SectionName}:{nameof(options.SiloPort)} must be a TCP port (1-65535), not {options.SiloPort}.");
        }
        if (options.GatewayPort is < 1 or > 65535)
        {
            failures.Add($"{SiloEndpointOptions.SectionName}:{nameof(options.GatewayPort)} must be a TCP port (1-65535), not {options.GatewayPort}.");
        }
        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{SiloEndpointOptions.SectionName}:{nameof(options.SiloPort)} and {nameof(options.GatewayPort)} must differ (both are {options.SiloPort}).");
        }
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{SiloEndpointOptions.SectionName}:{nameof(options.AdvertisedAddress)} must be an IP address, not '{options.AdvertisedAddress}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
