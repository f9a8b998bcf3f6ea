using System.Diagnostics.CodeAnalysis;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>
/// The accounts of the cluster's silos, from a <c>Silos</c> setting (the bridge's <c>Actors:Xmpp:Silos</c> and
/// <see cref="Store.XmppStoreWriterOptions.Silos"/>): only presence from them counts as a silo's (docs/security.md).
/// </summary>
/// <remarks>
/// Entries are bare JIDs (<c>silo-1@example.org</c>) or prefixes (<c>silo-*@example.org</c>). A whole domain
/// (<c>*@example.org</c>) is refused: directed presence reaches a client from every account of the domain, so it would
/// trust exactly the senders this list exists to keep out. A prefix trusts every account the server lets exist under
/// it: use one only where accounts are created by an administrator (no in-band registration).
/// </remarks>
internal sealed class SiloJids
{
    private readonly JidPattern[] _patterns;

    private SiloJids(JidPattern[] patterns) => _patterns = patterns;

    /// <summary>The patterns, as configured (normalised).</summary>
    public IReadOnlyList<JidPattern> Patterns => _patterns;

    /// <summary>
    /// Parses <paramref name="entries"/>, plus <paramref name="own"/> (a silo's own account, which the silos sharing it
    /// always trust); the error names the first bad entry.
    /// </summary>
    public static bool TryCreate(IEnumerable<string> entries, Jid? own, [NotNullWhen(true)] out SiloJids? silos, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var patterns = new List<JidPattern>();
        if (own is not null)
        {
            patterns.Add(new JidPattern(own.Local, own.Domain));
        }

        foreach (var entry in entries)
        {
            if (!JidPattern.TryParse(entry, out var pattern))
            {
                (silos, error) = (null, $"'{entry}' is neither a bare JID (silo-1@example.org) nor a prefix (silo-*@example.org)");
                return false;
            }

            if (pattern.IsWholeDomain)
            {
                (silos, error) = (null, $"'{entry}' would trust every account of {pattern.Domain}, and any of them can send presence; name the silos' accounts (silo-1@{pattern.Domain}) or their prefix (silo-*@{pattern.Domain})");
                return false;
            }

            patterns.Add(pattern);
        }

        (silos, error) = (new SiloJids([.. patterns.Distinct()]), null);
        return true;
    }

    /// <summary>True when <paramref name="jid"/> (any resource) is a silo's account.</summary>
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
