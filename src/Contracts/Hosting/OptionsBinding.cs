using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Actors.Contracts.Hosting;

/// <summary>
/// Binding options before the host is built, for the few values a builder needs up front (the Orleans cluster and
/// endpoints), validated by the same <see cref="IValidateOptions{TOptions}"/> that checks the registered options at start.
/// </summary>
public static class OptionsBinding
{
    /// <summary>
    /// Binds section <paramref name="sectionName"/> to a new <typeparamref name="T"/> and validates it with
    /// <paramref name="validator"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The values are invalid; its message lists every failure, each naming its setting.</exception>
    public static T BindValidated<T>(this IConfiguration configuration, string sectionName, IValidateOptions<T> validator)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validator);
        var options = new T();
        configuration.GetSection(sectionName).Bind(options);
        var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(T), result.Failures);
        }
        return options;
    }
}
