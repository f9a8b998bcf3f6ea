using System.Diagnostics.CodeAnalysis;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>One role entry: a bare JID (<c>ops@example.org</c>) or every account of a domain (<c>*@example.org</c>).</summary>
internal sealed record JidPattern(string? Local, string Domain)
{
    /// <summary>Parses a role entry; resources are not allowed, because roles belong to accounts.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JidPattern? pattern)
    {
        pattern = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.StartsWith("*@", StringComparison.Ordinal))
        {
            if (!Jid.TryParse(text[2..], out var domain) || domain.Local is not null || !domain.IsBare)
            {
                return false;
            }

            pattern = new JidPattern(null, domain.Domain);
            return true;
        }

        if (!Jid.TryParse(text, out var jid) || jid.Local is null || !jid.IsBare)
        {
            return false;
        }

        pattern = new JidPattern(jid.Local, jid.Domain);
        return true;
    }

    /// <summary>True when <paramref name="jid"/> (any resource) is covered by this entry.</summary>
    /// <remarks>
    /// Local parts compare without case: servers case-map them (RFC 7622 §3.3), so <c>Alice@example.org</c> in the
    /// configuration names the account the server reports as <c>alice@example.org</c>. Domains are already lower case.
    /// <c>*@domain</c> covers the domain's accounts, not the server itself (<c>domain</c>, e.g. its announcements).
    /// </remarks>
    public bool Matches(Jid jid) =>
        jid.Local is not null
        && string.Equals(jid.Domain, Domain, StringComparison.Ordinal)
        && (Local is null || string.Equals(jid.Local, Local, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override string ToString() => (Local ?? "*") + "@" + Domain;
}
