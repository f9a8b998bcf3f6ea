using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using Actors.Contracts;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// <c>&lt;query xmlns="urn:actors:1" type="topic" index="status" eq='"open"'/&gt;</c> in an IQ of type get: a list or
/// index query (docs/queries.md, XMPP). The HTTP parameters are attributes, each <c>filter</c> a
/// <c>&lt;filter pointer=".." op=".." value=".."/&gt;</c> child, and paging is XEP-0059 Result Set Management:
/// <c>&lt;set xmlns="http://jabber.org/protocol/rsm"&gt;&lt;max&gt;50&lt;/max&gt;&lt;after&gt;token&lt;/after&gt;&lt;/set&gt;</c>.
/// </summary>
/// <param name="Query">The query.</param>
public sealed record QueryPayload(RootQuery Query)
{
    /// <summary>The attributes that map one to one to query parameters.</summary>
    private static readonly string[] Attributes = ["index", "eq", "ge", "gt", "le", "lt", "prefix", "order", "include"];

    /// <summary>The element, as a client sends it.</summary>
    public XElement ToElement()
    {
        var query = new XElement(ActorsXml.Query, new XAttribute("type", Query.Type));
        if (Query.Index is { } index)
        {
            query.Add(new XAttribute("index", index));
        }
        if (Query.Condition is { } c)
        {
            Add(query, "eq", c.Eq);
            Add(query, c.LowerInclusive ? "ge" : "gt", c.Lower);
            Add(query, c.UpperInclusive ? "le" : "lt", c.Upper);
            Add(query, "prefix", c.Prefix);
        }
        if (Query.Descending)
        {
            query.Add(new XAttribute("order", "desc"));
        }
        if (Query.IncludeDocuments)
        {
            query.Add(new XAttribute("include", "doc"));
        }
        foreach (var filter in Query.Filters ?? [])
        {
            query.Add(new XElement(ActorsXml.Filter,
                new XAttribute("pointer", filter.Pointer), new XAttribute("op", RootQueryParser.Name(filter.Op)), new XAttribute("value", filter.Json)));
        }
        var set = new XElement(ActorsXml.RsmSet, new XElement(ActorsXml.RsmMax, Query.Limit.ToString(CultureInfo.InvariantCulture)));
        if (Query.After is { } after)
        {
            set.Add(new XElement(ActorsXml.RsmAfter, after));
        }
        query.Add(set);
        return query;
    }

    /// <summary>Reads a <c>&lt;query/&gt;</c> with the rules every front end shares (<see cref="RootQueryParser"/>).</summary>
    public static bool TryParse(XElement query, [NotNullWhen(true)] out QueryPayload? payload, [NotNullWhen(false)] out ActorsError? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        payload = null;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var attribute in query.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || attribute.Name == "type")
            {
                continue;
            }
            if (!Attributes.Contains(attribute.Name.LocalName) || attribute.Name.NamespaceName.Length > 0)
            {
                error = ActorsError.InvalidQuery($"unknown attribute '{attribute.Name.LocalName}'; a <query/> takes type, {string.Join(", ", Attributes)}, <filter pointer op value/> children and an RSM <set/>");
                return false;
            }
            parameters.Add(KeyValuePair.Create(attribute.Name.LocalName, attribute.Value));
        }
        foreach (var child in query.Elements())
        {
            if (child.Name == ActorsXml.Filter)
            {
                parameters.Add(KeyValuePair.Create("filter", $"{(string?)child.Attribute("pointer")},{(string?)child.Attribute("op")},{(string?)child.Attribute("value")}"));
            }
            else if (child.Name == ActorsXml.RsmSet)
            {
                if (child.Element(ActorsXml.RsmMax) is { } max)
                {
                    parameters.Add(KeyValuePair.Create("limit", max.Value.Trim()));
                }
                if (child.Element(ActorsXml.RsmAfter) is { } after)
                {
                    parameters.Add(KeyValuePair.Create("after", after.Value.Trim()));
                }
                if (child.Element(ActorsXml.RsmBefore) is not null || child.Element(ActorsXml.RsmIndex) is not null)
                {
                    error = ActorsError.InvalidQuery("RSM <before/> and <index/> are not supported: page forward with <after/> the <last/> of the previous page, or ask order=\"desc\"");
                    return false;
                }
            }
            else
            {
                error = ActorsError.InvalidQuery($"unknown child <{child.Name.LocalName}/>; a <query/> takes <filter pointer op value/> children and an RSM <set/>");
                return false;
            }
        }
        if (!RootQueryParser.TryParse((string?)query.Attribute("type") ?? "", parameters, out var parsed, out var parseError))
        {
            error = parseError!;
            return false;
        }
        payload = new QueryPayload(parsed);
        error = null;
        return true;
    }

    private static void Add(XElement element, string name, string? value)
    {
        if (value is not null)
        {
            element.Add(new XAttribute(name, value));
        }
    }
}
