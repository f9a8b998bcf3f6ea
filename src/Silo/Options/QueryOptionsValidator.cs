using Microsoft.Extensions.Options;

namespace Actors.Silo.Options;

/// <summary>Fails startup with a message naming the setting when a <see cref="QueryOptions"/> value is out of range.</summary>
internal sealed class QueryOptionsValidator : IValidateOptions<QueryOptions>
{
    public ValidateOptionsResult Validate(string? name, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BuildBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{QueryOptions.SectionName}:{nameof(options.BuildBatchSize)} must be between 1 and 10000, not {options.BuildBatchSize}.");
        }
        if (options.BuildKeeperInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{QueryOptions.SectionName}:{nameof(options.BuildKeeperInterval)} must be at least 100 ms, not {options.BuildKeeperInterval}.");
        }
        if (options.BackfillBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{QueryOptions.SectionName}:{nameof(options.BackfillBatchSize)} must be between 1 and 10000, not {options.BackfillBatchSize}.");
        }
        if (options.BackfillLease < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{QueryOptions.SectionName}:{nameof(options.BackfillLease)} must be at least 1 s, not {options.BackfillLease}.");
        }
        if (options.TokenKey is { Length: > 0 and < 16 })
        {
            failures.Add($"{QueryOptions.SectionName}:{nameof(options.TokenKey)} must be at least 16 characters (or unset, to share a generated one through Redis).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
