using System.Diagnostics.CodeAnalysis;

namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>
/// An XMPP address <c>localpart@domainpart/resourcepart</c> (RFC 7622). Parsing splits and checks
/// lengths (1..1023 bytes per part); it does not apply PRECIS profiles, so compare JIDs that came
/// from the server, which has already normalised them.
/// </summary>
public sealed record Jid
{
    private Jid(string? local, string domain, string? resource)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
    }

    /// <summary>The part before <c>@</c>, or null for a server or component address.</summary>
    public string? Local { get; }

    /// <summary>The domain part (lower-cased).</summary>
    public string Domain { get; }

    /// <summary>The part after <c>/</c>, or null for a bare JID.</summary>
    public string? Resource { get; }

    /// <summary>True when there is no resource.</summary>
    public bool IsBare => Resource is null;

    /// <summary>This JID without its resource.</summary>
    public Jid Bare => Resource is null ? this : new Jid(Local, Domain, null);

    /// <summary>Parses a JID.</summary>
    /// <exception cref="FormatException">The text is not a JID.</exception>
    public static Jid Parse(string text) =>
        TryParse(text, out var jid) ? jid : throw new FormatException($"'{text}' is not a valid JID.");

    /// <summary>Parses a JID without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Jid? jid)
    {
        jid = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // RFC 7622 §3.1: the first '/' starts the resource; '@' before it ends the local part.
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var rest = slash < 0 ? text : text[..slash];
        var resource = slash < 0 ? null : text[(slash + 1)..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var local = at < 0 ? null : rest[..at];
        var domain = (at < 0 ? rest : rest[(at + 1)..]).TrimEnd('.').ToLowerInvariant();
        if (!PartOk(local, allowNull: true) || !PartOk(domain, allowNull: false) || !PartOk(resource, allowNull: true)
            || domain.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        jid = new Jid(local, domain, resource);
        return true;
    }

    /// <summary>Makes a JID from its parts.</summary>
    public static Jid Create(string? local, string domain, string? resource = null) =>
        Parse((local is null ? string.Empty : local + "@") + domain + (resource is null ? string.Empty : "/" + resource));

    /// <summary>This JID with another resource.</summary>
    public Jid WithResource(string? resource) => Create(Local, Domain, resource);

    /// <inheritdoc />
    public override string ToString() =>
        (Local is null ? string.Empty : Local + "@") + Domain + (Resource is null ? string.Empty : "/" + Resource);

    private static bool PartOk(string? part, bool allowNull) =>
        part is null ? allowNull : part.Length is > 0 and <= 1023 && !part.Any(char.IsControl);
}
