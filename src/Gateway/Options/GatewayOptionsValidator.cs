using Microsoft.Extensions.Options;

namespace Actors.Gateway.Options;

/// <summary>Fails start-up with a message naming the setting (<c>Gateway:…</c>) when a <see cref="GatewayOptions"/> value makes no sense.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < 1024)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.MaxRequestBodyBytes)} must be at least 1024 bytes, not {options.MaxRequestBodyBytes}.");
        }
        if (options.RetryAfterSeconds is < 1 or > 3600)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.RetryAfterSeconds)} must be between 1 and 3600, not {options.RetryAfterSeconds}.");
        }
        if (options.ReadinessTimeout <= TimeSpan.Zero || options.ReadinessTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.ReadinessTimeout)} must be above zero and at most one minute, not {options.ReadinessTimeout}.");
        }
        if (options.MaxConnectRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.MaxConnectRetryDelay)} must be above zero, not {options.MaxConnectRetryDelay}.");
        }
        if (options.MaxExpandedRefs < 1)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.MaxExpandedRefs)} must be at least 1, not {options.MaxExpandedRefs}.");
        }
        if (options.MaxExpandedBytes < 1024)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.MaxExpandedBytes)} must be at least 1024 bytes, not {options.MaxExpandedBytes}.");
        }
        if (options.MaxConcurrentConnections < 1)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.MaxConcurrentConnections)} must be at least 1, not {options.MaxConcurrentConnections}.");
        }
        if (options.RequestsPerSecondPerCaller < 0)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.RequestsPerSecondPerCaller)} must be 0 (no limit) or more, not {options.RequestsPerSecondPerCaller}.");
        }
        if (options.RequestsPerSecondPerCaller > 0 && options.BurstPerCaller < 1)
        {
            failures.Add($"{GatewayOptions.SectionName}:{nameof(options.BurstPerCaller)} must be at least 1 while {nameof(options.RequestsPerSecondPerCaller)} is on, not {options.BurstPerCaller}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
