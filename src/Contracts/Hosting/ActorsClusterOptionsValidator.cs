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
        if (options.Tls.Enabled)
        {
            var tls = $"{ActorsClusterOptions.SectionName}:Tls";
            RequireFile(failures, $"{tls}:CertificatePath", options.Tls.CertificatePath);
            if (!string.IsNullOrWhiteSpace(options.Tls.KeyPath))
            {
                RequireFile(failures, $"{tls}:KeyPath", options.Tls.KeyPath);
            }
            if (string.IsNullOrWhiteSpace(options.Tls.CaPath))
            {
                failures.Add($"{tls}:CaPath must name the PEM file of the CA that signs the cluster's certificates; without it no peer could be trusted.");
            }
            else
            {
                RequireFile(failures, $"{tls}:CaPath", options.Tls.CaPath);
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.Tls.CaPath) || !string.IsNullOrWhiteSpace(options.Tls.KeyPath))
        {
            failures.Add($"{ActorsClusterOptions.SectionName}:Tls:CertificatePath is not set, but other Tls settings are; set it to turn mutual TLS on, or remove them.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireFile(List<string> failures, string setting, string? path)
    {
        if (!File.Exists(path))
        {
            failures.Add($"{setting} is '{path}', which is not a readable file.");
        }
    }
}
