using System.Diagnostics.CodeAnalysis;

namespace Actors.Contracts;

/// <summary>
/// Identifies a root object: <c>type/id</c> (docs/data-model.md). A root and its whole subtree live in one grain,
/// whose primary key is <see cref="ToString"/>.
/// </summary>
/// <remarks>
/// <c>type</c> matches <c>[a-z][a-z0-9_-]{0,63}</c>; <c>id</c> matches <c>[A-Za-z0-9._~-]{1,200}</c> and is neither
/// <c>.</c> nor <c>..</c>, because those two cannot travel in a URL path.
/// </remarks>
[GenerateSerializer, Immutable]
public readonly record struct RootId
{
    /// <summary>The longest allowed <see cref="Type"/>.</summary>
    public const int MaxTypeLength = 64;

    /// <summary>The longest allowed <see cref="Id"/>.</summary>
    public const int MaxIdLength = 200;

    private RootId(string type, string id)
    {
        Type = type;
        Id = id;
    }

    /// <summary>The root's type, e.g. <c>topic</c>.</summary>
    [Id(0)] public string Type { get; }

    /// <summary>The root's id within its type, e.g. <c>42</c>.</summary>
    [Id(1)] public string Id { get; }

    /// <summary>Creates a root id from its two parts, throwing <see cref="ActorsException"/> naming the broken rule.</summary>
    public static RootId Create(string type, string id)
    {
        var error = ValidateType(type) ?? ValidateId(id);
        if (error is not null)
        {
            throw new ActorsException(ActorsError.InvalidRootId(error));
        }
        return new RootId(type, id);
    }

    /// <summary>Parses <c>type/id</c>, throwing <see cref="ActorsException"/> naming the broken rule.</summary>
    public static RootId Parse(string? text)
        => TryParse(text, out var root, out var error) ? root : throw new ActorsException(ActorsError.InvalidRootId(error));

    /// <summary>Parses <c>type/id</c>; on failure <paramref name="error"/> names the rule that was broken.</summary>
    public static bool TryParse(string? text, out RootId root, [NotNullWhen(false)] out string? error)
    {
        root = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "a root id is required, written type/id (for example topic/42)";
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = $"root id '{Shorten(text)}' has no '/': write it as type/id (for example topic/42)";
            return false;
        }
        var type = text[..slash];
        var id = text[(slash + 1)..];
        error = ValidateType(type) ?? ValidateId(id);
        if (error is not null)
        {
            return false;
        }
        root = new RootId(type, id);
        return true;
    }

    /// <summary>Returns why <paramref name="type"/> is not a valid root type, or null when it is.</summary>
    public static string? ValidateType(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return "the root type is empty: it must match [a-z][a-z0-9_-]{0,63}";
        }
        if (type.Length > MaxTypeLength)
        {
            return $"the root type is {type.Length} characters long: at most {MaxTypeLength} are allowed";
        }
        if (type[0] is < 'a' or > 'z')
        {
            return $"root type '{Shorten(type)}' must start with a lowercase letter a-z";
        }
        foreach (var c in type)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            {
                return $"root type '{Shorten(type)}' contains '{Printable(c)}': only a-z, 0-9, '_' and '-' are allowed";
            }
        }
        return null;
    }

    /// <summary>Returns why <paramref name="id"/> is not a valid root id part, or null when it is.</summary>
    public static string? ValidateId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "the root id part after '/' is empty: it must be 1-200 characters of A-Z a-z 0-9 . _ ~ -";
        }
        if (id.Length > MaxIdLength)
        {
            return $"the root id part is {id.Length} characters long: at most {MaxIdLength} are allowed";
        }
        if (id is "." or "..")
        {
            return $"'{id}' cannot be a root id part: it cannot travel in a URL path";
        }
        foreach (var c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '~' or '-'))
            {
                return $"root id part '{Shorten(id)}' contains '{Printable(c)}': only A-Z, a-z, 0-9, '.', '_', '~' and '-' are allowed";
            }
        }
        return null;
    }

    /// <summary>The grain key and wire form: <c>type/id</c>.</summary>
    public override string ToString() => $"{Type}/{Id}";

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
