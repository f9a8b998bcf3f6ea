using System.Globalization;

namespace Actors.TestInfrastructure.Redis;

/// <summary>One line of <c>CLUSTER NODES</c>: a node as one cluster member sees it.</summary>
/// <param name="Id">The node id (40 hex characters, kept in its nodes.conf across restarts).</param>
/// <param name="Port">Client port on 127.0.0.1 (0 while the address is unknown).</param>
/// <param name="Flags">The flags, e.g. <c>myself</c>, <c>master</c>, <c>slave</c>, <c>fail?</c>, <c>fail</c>, <c>handshake</c>.</param>
/// <param name="PrimaryId">For a replica, the id of the primary it replicates; otherwise null.</param>
/// <param name="ConfigEpoch">Its config epoch: a promoted replica gets a higher one than the primary it replaced.</param>
/// <param name="IsConnected">The link state is <c>connected</c>.</param>
/// <param name="Slots">The slot ranges it serves, inclusive (migrating/importing entries are left out).</param>
public sealed record RedisClusterNodeState(
    string Id,
    int Port,
    IReadOnlyList<string> Flags,
    string? PrimaryId,
    long ConfigEpoch,
    bool IsConnected,
    IReadOnlyList<(int First, int Last)> Slots)
{
    /// <summary>Flagged <c>master</c>.</summary>
    public bool IsPrimary => Flags.Contains("master");

    /// <summary>Flagged <c>slave</c>.</summary>
    public bool IsReplica => Flags.Contains("slave");

    /// <summary>Flagged <c>fail</c> (agreed by a majority of primaries) or <c>fail?</c> (suspected by this observer).</summary>
    public bool IsFailing => Flags.Contains("fail") || Flags.Contains("fail?");

    /// <summary>The number of slots it serves.</summary>
    public int SlotCount => Slots.Sum(s => s.Last - s.First + 1);

    /// <summary>True when it serves <paramref name="slot"/>.</summary>
    public bool Serves(int slot) => Slots.Any(s => slot >= s.First && slot <= s.Last);
}

/// <summary>
/// The cluster as one node (<see cref="ObserverPort"/>) saw it at one moment, parsed from <c>CLUSTER NODES</c>.
/// During a failover nodes briefly disagree; after <see cref="RedisClusterServer.WaitForHealthyAsync"/> they agree.
/// </summary>
public sealed class RedisClusterTopology
{
    /// <summary>Slots in a Redis Cluster.</summary>
    public const int SlotCount = 16384;

    private RedisClusterTopology(int observerPort, IReadOnlyList<RedisClusterNodeState> nodes)
    {
        ObserverPort = observerPort;
        Nodes = nodes;
    }

    /// <summary>The port of the node whose view this is.</summary>
    public int ObserverPort { get; }

    /// <summary>Every node the observer knows, itself included.</summary>
    public IReadOnlyList<RedisClusterNodeState> Nodes { get; }

    /// <summary>Primaries that serve at least one slot and are not failing, by port.</summary>
    public IReadOnlyList<RedisClusterNodeState> Primaries =>
        [.. Nodes.Where(n => n.IsPrimary && !n.IsFailing && n.SlotCount > 0).OrderBy(n => n.Port)];

    /// <summary>The replicas of the node with id <paramref name="primaryId"/>, failing ones included, by port.</summary>
    public IReadOnlyList<RedisClusterNodeState> ReplicasOf(string primaryId) =>
        [.. Nodes.Where(n => n.IsReplica && n.PrimaryId == primaryId).OrderBy(n => n.Port)];

    /// <summary>The node serving <paramref name="slot"/>, or null when no node does.</summary>
    public RedisClusterNodeState? OwnerOf(int slot) => Nodes.FirstOrDefault(n => n.IsPrimary && n.Serves(slot));

    /// <summary>
    /// How current this view is: the sum of the config epochs of the nodes serving slots. A node that has not yet
    /// heard of a failover still lists the old primary, whose epoch is lower than its promoted replica's.
    /// </summary>
    public long Freshness => Nodes.Where(n => n.IsPrimary && n.SlotCount > 0).Sum(n => n.ConfigEpoch);

    /// <summary>The node with id <paramref name="id"/>, or null.</summary>
    public RedisClusterNodeState? Find(string id) => Nodes.FirstOrDefault(n => n.Id == id);

    /// <summary>Parses the text of <c>CLUSTER NODES</c>.</summary>
    public static RedisClusterTopology Parse(int observerPort, string clusterNodes)
    {
        ArgumentNullException.ThrowIfNull(clusterNodes);
        var nodes = new List<RedisClusterNodeState>();
        foreach (var line in clusterNodes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8)
            {
                throw new FormatException($"Unexpected CLUSTER NODES line from port {observerPort}: {line}");
            }

            var address = fields[1].Split('@')[0];
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            var slots = new List<(int, int)>();
            foreach (var slot in fields.Skip(8).Where(f => !f.StartsWith('[')))
            {
                var dash = slot.IndexOf('-', StringComparison.Ordinal);
                slots.Add(dash < 0
                    ? (int.Parse(slot, CultureInfo.InvariantCulture), int.Parse(slot, CultureInfo.InvariantCulture))
                    : (int.Parse(slot[..dash], CultureInfo.InvariantCulture), int.Parse(slot[(dash + 1)..], CultureInfo.InvariantCulture)));
            }

            nodes.Add(new RedisClusterNodeState(
                fields[0],
                port,
                fields[2].Split(','),
                fields[3] == "-" ? null : fields[3],
                long.Parse(fields[6], CultureInfo.InvariantCulture),
                fields[7] == "connected",
                slots));
        }

        return new RedisClusterTopology(observerPort, nodes);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join('\n', Nodes.Select(n =>
        $"{n.Port} {n.Id[..8]} {string.Join(',', n.Flags)}{(n.PrimaryId is null ? string.Empty : $" of {n.PrimaryId[..8]}")}" +
        $"{(n.SlotCount > 0 ? $" slots {string.Join(' ', n.Slots.Select(s => $"{s.First}-{s.Last}"))}" : string.Empty)}"));
}
