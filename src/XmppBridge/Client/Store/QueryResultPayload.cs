using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// The answer to a <see cref="QueryPayload"/>: <c>&lt;query xmlns="urn:actors:1" type=".."&gt;</c> holding one
/// <c>&lt;root id="type/id" version=".."/&gt;</c> per item (with the document as its text when <c>include="doc"</c>)
/// and an RSM <c>&lt;set/&gt;</c> whose <c>&lt;last/&gt;</c> is the token for the next page's <c>&lt;after/&gt;</c>;
/// no <c>&lt;last/&gt;</c> means nothing remains.
/// </summary>
/// <param name="Type">The type queried.</param>
/// <param name="Page">The page.</param>
public sealed record QueryResultPayload(string Type, QueryPage Page)
{
    /// <summary>The element.</summary>
    public XElement ToElement()
    {
        var result = new XElement(ActorsXml.Query, new XAttribute("type", Type));
        foreach (var item in Page.Items)
        {
            var root = new XElement(ActorsXml.Root, new XAttribute("id", item.Root), new XAttribute("version", item.Version.ToString(CultureInfo.InvariantCulture)));
            if (item.Document is { } document)
            {
                root.Add(document);
            }
            result.Add(root);
        }
        var set = new XElement(ActorsXml.RsmSet);
        if (Page.Next is { } next)
        {
            set.Add(new XElement(ActorsXml.RsmLast, next));
        }
        result.Add(set);
        return result;
    }

    /// <summary>Reads a result <c>&lt;query/&gt;</c>.</summary>
    public static bool TryParse(XElement? query, [NotNullWhen(true)] out QueryResultPayload? payload)
    {
        payload = null;
        if (query is null || query.Name != ActorsXml.Query || (string?)query.Attribute("type") is not { } type)
        {
            return false;
        }
        var items = new List<QueryItem>();
        foreach (var root in query.Elements(ActorsXml.Root))
        {
            if ((string?)root.Attribute("id") is not { } id
                || !long.TryParse((string?)root.Attribute("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return false;
            }
            items.Add(new QueryItem(id, version, root.Value.Length == 0 ? null : root.Value));
        }
        var next = query.Element(ActorsXml.RsmSet)?.Element(ActorsXml.RsmLast)?.Value;
        payload = new QueryResultPayload(type, new QueryPage(items, string.IsNullOrEmpty(next) ? null : next));
        return true;
    }
}
