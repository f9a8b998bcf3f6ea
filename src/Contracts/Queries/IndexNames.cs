namespace Actors.Contracts;

/// <summary>The rule for index names: the same as root types, <c>[a-z][a-z0-9_-]{0,63}</c>.</summary>
public static class IndexNames
{
    /// <summary>Returns why <paramref name="name"/> is not a valid index name, or null when it is.</summary>
    public static string? Validate(string? name) =>
        RootId.ValidateType(name)?.Replace("root type", "index name", StringComparison.Ordinal);
}
