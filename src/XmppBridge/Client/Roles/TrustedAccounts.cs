using System.Diagnostics.CodeAnalysis;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>
/// The accounts whose presence is trusted for one purpose: the silos' (the bridge's <c>Actors:Xmpp:Silos</c> and
/// <see cref="Store.XmppStoreWriterOptions.Silos"/>), or every node's (<c>Actors:Xmpp:Nodes</c>,
/// <c>Actors:Agent:Xmpp:Nodes</c>). Presence from any other account is ignored (docs/security.md).
/// </summary>
/// <remarks>
/// Entries are bare JIDs (<c>silo-1@example.org</c>) or prefixes (<c>silo-*@example.org</c>). A whole domain
/// (<c>*@example.org</c>) is refused: directed presence reaches a client from every account of the domain, so it would
/// trust exactly the senders this list exists to keep out. A prefix trusts every account the server lets exist under
/// it: use one only where accounts are created by an administrator (no in-band registration).
/// </remarks>
internal sealed class TrustedAccounts
{
    private readonly JidPattern[] _patterns;

    private TrustedAccounts(JidPattern[] patterns) => _patterns = patterns;

    /// <summary>The patterns, as configured (normalised).</summary>
    public IReadOnlyList<JidPattern> Patterns => _patterns;

    /// <summary>
    /// Parses <paramref name="entries"/>, plus <paramref name="own"/> (a node's own account, which the nodes sharing it
    /// always trust); the error names the first bad entry, with an example account named after
    /// <paramref name="exampleAccount"/> (<c>silo</c> gives <c>silo-1@example.org</c>).
    /// </summary>
    public static bool TryCreate(IEnumerable<string> entries, Jid? own, string exampleAccount, [NotNullWhen(true)] out TrustedAccounts? accounts, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrEmpty(exampleAccount);
        var patterns = new List<JidPattern>();
        if (own is not null)
        {
            patterns.Add(new JidPattern(own.Local, own.Domain));
        }

        foreach (var entry in entries)
        {
            if (!JidPattern.TryParse(entry, out var pattern))
            {
                (accounts, error) = (null, $"'{entry}' is neither a bare JID ({exampleAccount}-1@example.org) nor a prefix ({exampleAccount}-*@example.org)");
                return false;
            }

            if (pattern.IsWholeDomain)
            {
                (accounts, error) = (null, $"'{entry}' would trust every account of {pattern.Domain}, and any of them can send presence; name the accounts ({exampleAccount}-1@{pattern.Domain}) or their prefix ({exampleAccount}-*@{pattern.Domain})");
                return false;
            }

            patterns.Add(pattern);
        }

        (accounts, error) = (new TrustedAccounts([.. patterns.Distinct()]), null);
        return true;
    }

    /// <summary>True when <paramref name="jid"/> (any resource) is one of the trusted accounts.</summary>
    public bool Contains(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(jid))
            {
                return true;
            }
        }

        return false;
    }
}
