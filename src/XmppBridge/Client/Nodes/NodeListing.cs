using System.Globalization;
using System.Text;

namespace Actors.XmppBridge.Client.Nodes;

/// <summary>The chat text of <c>status</c>'s node sections: one heading per kind, one line per node.</summary>
public static class NodeListing
{
    /// <summary>
    /// For each of <paramref name="kinds"/>: <c>gateways (1):</c>, then <c>  gw-1  available  http://…  gateway@example.org/gw-1  status</c>
    /// per node; a kind with none says so, with <paramref name="noneHint"/> (how to make them visible).
    /// </summary>
    public static string Describe(IEnumerable<NodePresence> nodes, IReadOnlyList<NodeKind> kinds, string noneHint)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(kinds);
        var all = nodes.ToList();
        var text = new StringBuilder();
        foreach (var kind in kinds)
        {
            var ofKind = all.Where(n => n.Kind == kind).ToList();
            var plural = Plural(kind);
            if (ofKind.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{plural}: none seen{noneHint}\n");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"{plural} ({ofKind.Count}):\n");
            var nameWidth = ofKind.Max(n => n.Name.Length);
            foreach (var node in ofKind)
            {
                text.Append("  ").Append(node.Name.PadRight(nameWidth)).Append("  ").Append(node.ShowName.PadRight(9));
                if (node.Url is { } url)
                {
                    text.Append("  ").Append(url);
                }

                text.Append("  ").Append(node.Jid.ToString());
                if (!string.IsNullOrEmpty(node.Status))
                {
                    text.Append("  ").Append(node.Status);
                }

                text.Append('\n');
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary><c>1 silo</c>, <c>2 gateways</c>, <c>0 agents</c>.</summary>
    public static string Count(NodeKind kind, int count)
    {
        var plural = Plural(kind);
        return string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? plural[..^1] : plural)}");
    }

    /// <summary><c>silos</c>, <c>gateways</c>, <c>agents</c>.</summary>
    public static string Plural(NodeKind kind) => kind switch
    {
        NodeKind.Silo => "silos",
        NodeKind.Gateway => "gateways",
        _ => "agents",
    };
}
