using Microsoft.Extensions.Options;

namespace Actors.Contracts.Hosting;

/// <summary>Fails start-up with a message naming the setting when an <see cref="ActorsClusterOptions"/> value makes no sense.</summary>
internal sealed class ActorsClusterOptionsValidator : IValidateOptions<ActorsClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ActorsClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{ActorsClusterOptions.SectionName}:{nameof(options.ClusterId)} must not be empty; silos and clients must agree on it.");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{ActorsClusterOptions.SectionName}:{nameof(options.ServiceId)} must not be empty; it scopes the grain state in storage.");
        }
        if (options.LocalGatewayPort is < 1 or > 65535)
        {
            failures.Add($"{ActorsClusterOptions.SectionName}:{nameof(options.LocalGatewayPort)} must be a TCP port (1-65535), not {options.LocalGatewayPort}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
