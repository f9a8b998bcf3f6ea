using System.Diagnostics.CodeAnalysis;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>
/// One entry of a JID list: a bare JID (<c>ops@example.org</c>), every account of a domain (<c>*@example.org</c>), or
/// every account whose local part starts with a prefix (<c>silo-*@example.org</c>).
/// </summary>
/// <param name="Local">The local part, or its prefix when <paramref name="IsPrefix"/>; null for the whole domain.</param>
/// <param name="Domain">The domain.</param>
/// <param name="IsPrefix">True for <c>prefix*@domain</c>.</param>
internal sealed record JidPattern(string? Local, string Domain, bool IsPrefix = false)
{
    /// <summary>True for <c>*@domain</c>, which every account of the domain matches.</summary>
    public bool IsWholeDomain => Local is null;

    /// <summary>Parses an entry; resources are not allowed, because roles and trust belong to accounts.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JidPattern? pattern)
    {
        pattern = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && text[at - 1] == '*')
        {
            // "*@domain" or "prefix*@domain": the domain must be a domain alone, the prefix a valid local part.
            var prefix = text[..(at - 1)];
            if (!Jid.TryParse(text[(at + 1)..], out var domain) || domain.Local is not null || !domain.IsBare)
            {
                return false;
            }

            if (prefix.Length == 0)
            {
                pattern = new JidPattern(null, domain.Domain);
                return true;
            }

            if (prefix.Contains('*', StringComparison.Ordinal)
                || !Jid.TryParse(prefix + "@" + domain.Domain, out var sample) || sample.Local is null || !sample.IsBare)
            {
                return false;
            }

            pattern = new JidPattern(sample.Local, sample.Domain, IsPrefix: true);
            return true;
        }

        if (text.Contains('*', StringComparison.Ordinal) || !Jid.TryParse(text, out var jid) || jid.Local is null || !jid.IsBare)
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
        && (Local is null
            || (IsPrefix
                ? jid.Local.StartsWith(Local, StringComparison.OrdinalIgnoreCase)
                : string.Equals(jid.Local, Local, StringComparison.OrdinalIgnoreCase)));

    /// <inheritdoc />
    public override string ToString() => (Local ?? "") + (IsPrefix || Local is null ? "*" : "") + "@" + Domain;
}
