using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>
/// Resolves a sender's roles from the role lists of a silo's bridge (<c>Actors:Xmpp</c>) or a machine agent
/// (<c>Actors:Agent:Xmpp</c>), applying docs/xmpp-bridge.md's defaults: watchers = the own domain, readers = writers +
/// operators, writers and operators = nobody. One class for both, so a JID is an operator of an agent exactly when it
/// is one of a silo configured with the same lists.
/// </summary>
/// <remarks>
/// Roles nest upwards: an operator may do everything, and anyone who may read or write may also watch (help, status,
/// where), so a writer on another domain is not told that it may not even ask for help.
/// </remarks>
internal sealed class RoleSet
{
    private readonly JidPattern[] _watchers;
    private readonly JidPattern[]? _readers;
    private readonly JidPattern[] _writers;
    private readonly JidPattern[] _operators;

    public RoleSet(IReadOnlyList<string> watchers, IReadOnlyList<string> readers, IReadOnlyList<string> writers, IReadOnlyList<string> operators, string ownDomain)
    {
        ArgumentNullException.ThrowIfNull(watchers);
        ArgumentNullException.ThrowIfNull(readers);
        ArgumentNullException.ThrowIfNull(writers);
        ArgumentNullException.ThrowIfNull(operators);
        _watchers = watchers.Count == 0 ? [new JidPattern(null, ownDomain)] : Parse(watchers);
        _readers = readers.Count == 0 ? null : Parse(readers);
        _writers = Parse(writers);
        _operators = Parse(operators);
    }

    /// <summary>The roles <paramref name="sender"/> holds.</summary>
    public BridgeRoles Resolve(Jid sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var roles = BridgeRoles.None;
        if (Any(_operators, sender))
        {
            return BridgeRoles.Operator | BridgeRoles.Writer | BridgeRoles.Reader | BridgeRoles.Watcher;
        }

        if (Any(_writers, sender))
        {
            roles |= BridgeRoles.Writer;
        }

        // Readers default to writers + operators; an explicit list replaces the default, but writers keep reading.
        if (_readers is null ? roles.HasFlag(BridgeRoles.Writer) : Any(_readers, sender) || roles.HasFlag(BridgeRoles.Writer))
        {
            roles |= BridgeRoles.Reader;
        }

        if (roles != BridgeRoles.None || Any(_watchers, sender))
        {
            roles |= BridgeRoles.Watcher;
        }

        return roles;
    }

    /// <summary>The most capable role held, for messages (<c>operator</c>, <c>writer</c>, …, <c>none</c>).</summary>
    public static string Describe(BridgeRoles roles) =>
        roles.HasFlag(BridgeRoles.Operator) ? "operator"
        : roles.HasFlag(BridgeRoles.Writer) ? "writer"
        : roles.HasFlag(BridgeRoles.Reader) ? "reader"
        : roles.HasFlag(BridgeRoles.Watcher) ? "watcher"
        : "no role";

    private static bool Any(JidPattern[] patterns, Jid jid)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.Matches(jid))
            {
                return true;
            }
        }

        return false;
    }

    private static JidPattern[] Parse(IReadOnlyList<string> entries) =>
        [.. entries.Select(e => JidPattern.TryParse(e, out var p) ? p : throw new ArgumentException($"Invalid role entry '{e}'.", nameof(entries)))];
}
