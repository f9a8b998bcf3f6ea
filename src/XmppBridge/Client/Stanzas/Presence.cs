using System.Globalization;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>A <c>&lt;presence/&gt;</c> stanza (RFC 6121 §4).</summary>
public sealed class Presence : Stanza
{
    /// <summary>Creates available presence.</summary>
    public Presence()
        : base(new XElement(ClientNs + "presence"))
    {
    }

    /// <summary>Creates presence of a type, optionally addressed.</summary>
    public Presence(PresenceType type, Jid? to = null)
        : this()
    {
        Type = type;
        To = to;
    }

    /// <summary>Wraps a received element.</summary>
    public Presence(XElement element)
        : base(element)
    {
    }

    /// <summary>The presence type.</summary>
    public PresenceType Type
    {
        get => Enum.TryParse<PresenceType>(TypeName, ignoreCase: true, out var t) && TypeName is not null ? t : PresenceType.Available;
        set => TypeName = value == PresenceType.Available ? null : value.ToString().ToLowerInvariant();
    }

    /// <summary>The availability sub-state; <see cref="PresenceShow.None"/> when absent or unknown.</summary>
    public PresenceShow Show
    {
        get => Enum.TryParse<PresenceShow>(Element.Element(ClientNs + "show")?.Value, ignoreCase: true, out var s) ? s : PresenceShow.None;
        set => SetChild("show", value == PresenceShow.None ? null : value.ToString().ToLowerInvariant());
    }

    /// <summary>The human-readable <c>&lt;status/&gt;</c>.</summary>
    public string? Status
    {
        get => Element.Element(ClientNs + "status")?.Value;
        set => SetChild("status", value);
    }

    /// <summary>The <c>&lt;priority/&gt;</c> (-128..127), or null.</summary>
    public int? Priority
    {
        get => int.TryParse(Element.Element(ClientNs + "priority")?.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : null;
        set => SetChild("priority", value?.ToString(CultureInfo.InvariantCulture));
    }

    private void SetChild(string name, string? value)
    {
        var existing = Element.Element(ClientNs + name);
        if (value is null)
        {
            existing?.Remove();
        }
        else if (existing is null)
        {
            // RFC 6121 §4.7.2: show/status/priority precede extension elements by convention.
            Element.AddFirst(new XElement(ClientNs + name, value));
        }
        else
        {
            existing.Value = value;
        }
    }
}
