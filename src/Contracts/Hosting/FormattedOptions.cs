namespace Actors.Contracts.Hosting;

/// <summary>
/// An options object as a log argument: <see cref="ToString"/> runs <see cref="OptionsFormatter.Format{T}"/> (secrets
/// redacted) only when a log line is written. Made by <see cref="OptionsFormatter.ForLog{T}"/>.
/// </summary>
public readonly struct FormattedOptions<T>(T options)
    where T : class
{
    /// <inheritdoc />
    public override string ToString() => OptionsFormatter.Format(options);
}
