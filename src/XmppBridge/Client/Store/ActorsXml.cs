using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Store;

/// <summary>Names of the store's own XMPP elements (namespace <c>urn:actors:1</c>) and the XEPs the bridge reads.</summary>
internal static class ActorsXml
{
    /// <summary>The store's namespace (docs/xmpp-bridge.md).</summary>
    public const string Namespace = "urn:actors:1";

    /// <summary>XEP-0203 delayed delivery.</summary>
    public const string DelayNamespace = "urn:xmpp:delay";

    /// <summary>XEP-0334 message processing hints.</summary>
    public const string HintsNamespace = "urn:xmpp:hints";

    /// <summary>XEP-0184 receipts.</summary>
    public const string ReceiptsNamespace = "urn:xmpp:receipts";

    /// <summary>XEP-0059 Result Set Management.</summary>
    public const string RsmNamespace = "http://jabber.org/protocol/rsm";

    /// <summary>XEP-0359 stanza ids.</summary>
    public const string StanzaIdNamespace = "urn:xmpp:sid:0";

    public static readonly XNamespace Ns = Namespace;

    public static readonly XName Write = Ns + "write";
    public static readonly XName Written = Ns + "written";
    public static readonly XName Read = Ns + "read";
    public static readonly XName Document = Ns + "document";
    public static readonly XName Silo = Ns + "silo";
    public static readonly XName Agent = Ns + "agent";
    public static readonly XName Gateway = Ns + "gateway";
    public static readonly XName Query = Ns + "query";
    public static readonly XName Filter = Ns + "filter";
    public static readonly XName Root = Ns + "root";
    public static readonly XName RsmSet = XName.Get("set", RsmNamespace);
    public static readonly XName RsmMax = XName.Get("max", RsmNamespace);
    public static readonly XName RsmAfter = XName.Get("after", RsmNamespace);
    public static readonly XName RsmBefore = XName.Get("before", RsmNamespace);
    public static readonly XName RsmIndex = XName.Get("index", RsmNamespace);
    public static readonly XName RsmLast = XName.Get("last", RsmNamespace);
    public static readonly XName Delay = XName.Get("delay", DelayNamespace);
    public static readonly XName NoStore = XName.Get("no-store", HintsNamespace);
    public static readonly XName Received = XName.Get("received", ReceiptsNamespace);
}
