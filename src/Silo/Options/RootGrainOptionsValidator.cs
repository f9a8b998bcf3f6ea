using Microsoft.Extensions.Options;

namespace Actors.Silo.Options;

/// <summary>Fails startup with a message naming the setting when a <see cref="RootGrainOptions"/> value is out of range.</summary>
internal sealed class RootGrainOptionsValidator : IValidateOptions<RootGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, RootGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.WriteIdMemory < 1000)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.WriteIdMemory)} must be at least 1000 (docs/data-model.md), not {options.WriteIdMemory}.");
        }
        if (options.WriteIdMinRetention < TimeSpan.Zero || options.WriteIdMinRetention > TimeSpan.FromDays(1))
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.WriteIdMinRetention)} must be between 0 and one day, not {options.WriteIdMinRetention}.");
        }
        if (options.WriteIdMaxEntries < options.WriteIdMemory)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.WriteIdMaxEntries)} must be at least {nameof(options.WriteIdMemory)} ({options.WriteIdMemory}), not {options.WriteIdMaxEntries}.");
        }
        if (options.MaxDocumentBytes < 2)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.MaxDocumentBytes)} must be at least 2 bytes ({{}}), not {options.MaxDocumentBytes}.");
        }
        if (options.MaxDepth is < 1 or > 1000)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.MaxDepth)} must be between 1 and 1000, not {options.MaxDepth}.");
        }
        if (options.MaxPatchOperations < 1)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.MaxPatchOperations)} must be at least 1, not {options.MaxPatchOperations}.");
        }
        if (options.MaxPatchWorkBytes < options.MaxDocumentBytes)
        {
            failures.Add($"{RootGrainOptions.SectionName}:{nameof(options.MaxPatchWorkBytes)} must be at least {nameof(options.MaxDocumentBytes)} ({options.MaxDocumentBytes}), or a patch could not even copy one document; it is {options.MaxPatchWorkBytes}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
