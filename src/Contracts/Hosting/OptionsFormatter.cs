using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Contracts.Hosting;

/// <summary>
/// Formats an options object for logs as <c>Name=value, …</c>: every public property configuration binds (a public
/// getter and setter, or a get-only collection it fills), properties marked <see cref="SecretAttribute"/> redacted.
/// </summary>
public static class OptionsFormatter
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, SecretAttribute? Secret)[]> Properties = new();

    /// <summary>Formats <paramref name="options"/> now.</summary>
    public static string Format<T>(T options)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = Properties.GetOrAdd(options.GetType(), static type => type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0
                && (p.SetMethod?.IsPublic == true || (typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && p.PropertyType != typeof(string))))
            .Select(p => (p, p.GetCustomAttribute<SecretAttribute>(inherit: true)))
            .ToArray());
        return string.Join(", ", properties.Select(p =>
        {
            var value = p.Property.GetValue(options);
            return $"{p.Property.Name}={(p.Secret is { } secret ? secret.Redact(value) : FormatValue(value))}";
        }));
    }

    /// <summary>
    /// <paramref name="options"/> for a log argument: formatted only if the line is written.
    /// </summary>
    public static FormattedOptions<T> ForLog<T>(T options)
        where T : class => new(options);

    private static string FormatValue(object? value) => value switch
    {
        null => "(none)",
        string text => text,
        // A certificate's ToString is its whole subject and issuer over several lines; the thumbprint identifies it.
        X509Certificate certificate => certificate.GetCertHashString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(FormatValue)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
