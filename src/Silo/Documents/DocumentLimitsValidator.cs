using Microsoft.Extensions.Options;

namespace Actors.Silo.Documents;

/// <summary>Refuses limits that cannot work, at startup rather than on the first write.</summary>
internal sealed class DocumentLimitsValidator : IValidateOptions<DocumentLimits>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DocumentLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxDocumentBytes < 2)
        {
            failures.Add($"{nameof(DocumentLimits)}.{nameof(DocumentLimits.MaxDocumentBytes)} must be at least 2 (the size of '{{}}'); it is {options.MaxDocumentBytes}.");
        }

        if (options.MaxDepth is < 1 or > DocumentLimits.MaxConfigurableDepth)
        {
            failures.Add($"{nameof(DocumentLimits)}.{nameof(DocumentLimits.MaxDepth)} must be between 1 and {DocumentLimits.MaxConfigurableDepth}; it is {options.MaxDepth}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
