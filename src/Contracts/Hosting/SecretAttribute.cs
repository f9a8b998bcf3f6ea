namespace Actors.Contracts.Hosting;

/// <summary>
/// Marks an options property whose value must never be logged: <see cref="OptionsFormatter"/> writes
/// <see cref="Redact"/>'s result in its place. Derive from it to keep the harmless part of a value (see
/// <see cref="RedisConnectionSecretAttribute"/>).
/// </summary>
/// <remarks>
/// Redaction is declared on the property, next to the secret, instead of in a hand-written <c>ToString</c> that each new
/// property must remember to update.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public class SecretAttribute : Attribute
{
    /// <summary>What is logged instead of <paramref name="value"/>: <c>***</c>, or <c>(none)</c> when nothing is set.</summary>
    public virtual string Redact(object? value) => value is null or "" ? "(none)" : "***";
}
