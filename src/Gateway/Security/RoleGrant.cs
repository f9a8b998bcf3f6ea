using System.Diagnostics.CodeAnalysis;
using Actors.Contracts;

namespace Actors.Gateway.Security;

/// <summary>
/// One role on one root type, or on every type: <c>writer:orders</c>, <c>reader:*</c>. A bare role (<c>writer</c>) means
/// every type. This is the text of a JWT role claim, of an API key's <c>Roles</c> and of <c>Anonymous</c>.
/// </summary>
public sealed record RoleGrant(Role Role, string Type)
{
    /// <summary>The type that stands for every type.</summary>
    public const string AnyType = "*";

    /// <summary>Whether this grant allows <paramref name="role"/> on <paramref name="type"/>.</summary>
    public bool Allows(Role role, string type) => Role >= role && (Type == AnyType || string.Equals(Type, type, StringComparison.Ordinal));

    /// <summary>Parses <c>role[:type]</c>; the error says what a grant looks like.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RoleGrant? grant, [NotNullWhen(false)] out string? error)
    {
        grant = null;
        var value = text?.Trim() ?? string.Empty;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var (name, type) = colon < 0 ? (value, AnyType) : (value[..colon], value[(colon + 1)..]);
        Role role;
        switch (name.ToLowerInvariant())
        {
            case "reader": role = Role.Reader; break;
            case "writer": role = Role.Writer; break;
            case "operator": role = Role.Operator; break;
            default:
                error = $"'{text}' is not a role grant: write reader, writer or operator, optionally followed by ':' and a root type or '*' (e.g. writer:orders)";
                return false;
        }
        if (type != AnyType && RootId.ValidateType(type) is not null)
        {
            error = $"'{text}' names the type '{type}', which breaks the type rule of docs/data-model.md; use a valid type or '*'";
            return false;
        }
        grant = new RoleGrant(role, type);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Role.ToString().ToLowerInvariant()}:{Type}";
}
