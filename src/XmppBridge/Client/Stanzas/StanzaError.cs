using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>
/// A stanza error (RFC 6120 §8.3): a defined condition such as <c>service-unavailable</c>, its type,
/// an optional human-readable text and an optional application-specific condition element.
/// </summary>
public sealed record StanzaError(StanzaErrorType Type, string Condition, string? Text = null, XElement? ApplicationCondition = null)
{
    private static readonly XNamespace Ns = XmppNamespaces.Stanzas;

    /// <summary>Builds the <c>&lt;error/&gt;</c> child element.</summary>
    public XElement ToElement()
    {
        var error = new XElement(XName.Get("error", XmppNamespaces.Client),
            new XAttribute("type", Type.ToString().ToLowerInvariant()),
            new XElement(Ns + Condition));
        if (Text is not null)
        {
            error.Add(new XElement(Ns + "text", Text));
        }

        if (ApplicationCondition is not null)
        {
            error.Add(new XElement(ApplicationCondition));
        }

        return error;
    }

    /// <summary>Reads an <c>&lt;error/&gt;</c> element; unknown or missing parts become <c>undefined-condition</c>/<c>cancel</c>.</summary>
    public static StanzaError FromElement(XElement error)
    {
        var type = Enum.TryParse<StanzaErrorType>((string?)error.Attribute("type"), ignoreCase: true, out var t) ? t : StanzaErrorType.Cancel;
        var condition = error.Elements().FirstOrDefault(e => e.Name.Namespace == Ns && e.Name.LocalName != "text")?.Name.LocalName
            ?? "undefined-condition";
        var text = error.Element(Ns + "text")?.Value;
        var app = error.Elements().FirstOrDefault(e => e.Name.Namespace != Ns);
        return new StanzaError(type, condition, text, app);
    }

    /// <inheritdoc />
    public override string ToString() => Text is null ? $"{Condition} ({Type})" : $"{Condition} ({Type}): {Text}";
}
