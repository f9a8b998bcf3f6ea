using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Stanzas;

/// <summary>
/// An <c>&lt;iq/&gt;</c> stanza (RFC 6120 §8.2.3): a request (get/set) carries exactly one payload
/// element and MUST be answered with exactly one result or error carrying the same id.
/// </summary>
public sealed class Iq : Stanza
{
    /// <summary>Creates a request with a payload.</summary>
    public Iq(IqType type, XElement? payload = null, Jid? to = null)
        : base(new XElement(ClientNs + "iq"))
    {
        Type = type;
        To = to;
        if (payload is not null)
        {
            Element.Add(payload);
        }
    }

    /// <summary>Wraps a received element.</summary>
    public Iq(XElement element)
        : base(element)
    {
    }

    /// <summary>The IQ type.</summary>
    public IqType Type
    {
        get => Enum.TryParse<IqType>(TypeName, ignoreCase: true, out var t) ? t : IqType.Error;
        set => TypeName = value.ToString().ToLowerInvariant();
    }

    /// <summary>True for get and set.</summary>
    public bool IsRequest => TypeName is "get" or "set";

    /// <summary>The first child that is not an <c>&lt;error/&gt;</c>, or null.</summary>
    public XElement? Payload => Element.Elements().FirstOrDefault(e => e.Name != ClientNs + "error");

    /// <summary>
    /// Work to run once this response was handed to the connection (e.g. a silo's drain after its answer), when it is
    /// returned by an IQ handler; not part of the stanza.
    /// </summary>
    internal Func<Task>? AfterSent { get; set; }

    /// <summary>Builds the result for this request (same id, addressed back to the requester).</summary>
    public Iq CreateResult(XElement? payload = null) =>
        new(IqType.Result, payload, From) { Id = Id };

    /// <summary>Builds an error response for this request (RFC 6120 §8.3.1: the payload may be echoed; we do not).</summary>
    public Iq CreateError(StanzaError error)
    {
        var iq = new Iq(IqType.Error, null, From) { Id = Id };
        iq.Element.Add(error.ToElement());
        return iq;
    }
}
