namespace Actors.Contracts.Hosting;

/// <summary>
/// A StackExchange.Redis connection string: logged with its endpoints and options but with <c>password=</c> and
/// <c>user=</c> removed (<see cref="RedisConnection.Redact"/>), so a log still says which Redis a process uses.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class RedisConnectionSecretAttribute : SecretAttribute
{
    /// <inheritdoc />
    public override string Redact(object? value) => RedisConnection.Redact(value as string);
}
