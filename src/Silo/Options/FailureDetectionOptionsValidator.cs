using Microsoft.Extensions.Options;

namespace Actors.Silo.Options;

/// <summary>Fails startup with a message naming the setting when a <see cref="FailureDetectionOptions"/> value is out of range.</summary>
internal sealed class FailureDetectionOptionsValidator : IValidateOptions<FailureDetectionOptions>
{
    public ValidateOptionsResult Validate(string? name, FailureDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.ProbeTimeout)} must be positive, not {options.ProbeTimeout}.");
        }
        if (options.MissedProbesLimit < 1)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.MissedProbesLimit)} must be at least 1, not {options.MissedProbesLimit}.");
        }
        if (options.VotesForDeathDeclaration < 1)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.VotesForDeathDeclaration)} must be at least 1, not {options.VotesForDeathDeclaration}.");
        }
        if (options.TableRefreshTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{FailureDetectionOptions.SectionName}:{nameof(options.TableRefreshTimeout)} must be positive, not {options.TableRefreshTimeout}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
