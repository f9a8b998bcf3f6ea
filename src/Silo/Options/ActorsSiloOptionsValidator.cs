using Microsoft.Extensions.Options;

namespace Actors.Silo.Options;

/// <summary>Fails startup with a message naming the option when a silo setting is out of range.</summary>
internal sealed class ActorsSiloOptionsValidator :
    IValidateOptions<SiloEndpointOptions>, IValidateOptions<RootGrainOptions>, IValidateOptions<FailureDetectionOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloEndpointOptions options)
    {
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
        if (!System.Net.IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{SiloEndpointOptions.SectionName}:{nameof(options.AdvertisedAddress)} must be an IP address, not '{options.AdvertisedAddress}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, RootGrainOptions options)
    {
        var failures = new List<string>();
        if (options.WriteIdMemory < 1000)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.WriteIdMemory)} must be at least 1000 (DESIGN.md §3), not {options.WriteIdMemory}.");
        }
        if (options.MaxDocumentBytes < 2)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.MaxDocumentBytes)} must be at least 2 bytes ({{}}), not {options.MaxDocumentBytes}.");
        }
        if (options.MaxDepth is < 1 or > 1000)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.MaxDepth)} must be between 1 and 1000, not {options.MaxDepth}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, FailureDetectionOptions options)
    {
        var failures = new List<string>();
        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.ProbeTimeout)} must be positive.");
        }
        if (options.MissedProbesLimit < 1)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.MissedProbesLimit)} must be at least 1.");
        }
        if (options.VotesForDeathDeclaration < 1)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.VotesForDeathDeclaration)} must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
