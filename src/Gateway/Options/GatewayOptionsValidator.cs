using Microsoft.Extensions.Options;

namespace Actors.Gateway.Options;

/// <summary>Fails start-up with a message naming the option when a <see cref="GatewayOptions"/> value makes no sense.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < 1024)
        {
            failures.Add($"{nameof(GatewayOptions)}.{nameof(GatewayOptions.MaxRequestBodyBytes)} is {options.MaxRequestBodyBytes}: it must be at least 1024 bytes.");
        }
        if (options.RetryAfterSeconds is < 1 or > 3600)
        {
            failures.Add($"{nameof(GatewayOptions)}.{nameof(GatewayOptions.RetryAfterSeconds)} is {options.RetryAfterSeconds}: it must be between 1 and 3600.");
        }
        if (options.ReadinessTimeout <= TimeSpan.Zero || options.ReadinessTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{nameof(GatewayOptions)}.{nameof(GatewayOptions.ReadinessTimeout)} is {options.ReadinessTimeout}: it must be above zero and at most one minute.");
        }
        if (options.MaxConnectRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(GatewayOptions)}.{nameof(GatewayOptions.MaxConnectRetryDelay)} is {options.MaxConnectRetryDelay}: it must be above zero.");
        }
        if (options.MaxExpandedRefs < 1)
        {
            failures.Add($"{nameof(GatewayOptions)}.{nameof(GatewayOptions.MaxExpandedRefs)} is {options.MaxExpandedRefs}: it must be at least 1.");
        }
        if (options.MaxExpandedBytes < 1024)
        {
            failures.Add($"{nameof(GatewayOptions)}.{nameof(GatewayOptions.MaxExpandedBytes)} is {options.MaxExpandedBytes}: it must be at least 1024 bytes.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
