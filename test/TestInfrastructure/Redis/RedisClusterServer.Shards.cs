using System.Diagnostics;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Redis;

/// <summary>What <see cref="RedisClusterServer.AddShardAsync"/> or <see cref="RedisClusterServer.RemoveShardAsync"/> did, and how long each step took.</summary>
/// <param name="Primary">The shard's primary (when removed: the one that was primary then; a failover may have swapped the pair).</param>
/// <param name="Replica">The shard's replica.</param>
/// <param name="Membership">Adding: starting both nodes until both joined and the replica is in sync. Removing: <c>del-node</c> of both and stopping them.</param>
/// <param name="SlotMove">The <c>redis-cli --cluster rebalance</c> that moved slots to (or away from) the shard, until the cluster agreed.</param>
/// <param name="SlotsMoved">Slots the shard's primary served after adding, or before removing.</param>
/// <param name="Total">The whole call.</param>
public sealed record RedisShardChange(
    RedisClusterNode Primary, RedisClusterNode Replica, TimeSpan Membership, TimeSpan SlotMove, int SlotsMoved, TimeSpan Total);

/// <summary>Scaling out by one shard (a primary and its replica) and back, as <c>./actors redis add-shard|remove-shard</c> does.</summary>
public sealed partial class RedisClusterServer
{
    private static readonly TimeSpan ClusterCommandTimeout = TimeSpan.FromMinutes(3);

    private readonly Stack<(RedisClusterNode First, RedisClusterNode Second)> _addedShards = new();

    /// <summary>Shards added by <see cref="AddShardAsync"/> and not removed yet.</summary>
    public int AddedShards => _addedShards.Count;

    /// <summary>
    /// Adds a shard: starts two nodes with the same settings as the others, joins the first as an empty primary
    /// (<c>redis-cli --cluster add-node</c>), waits until every node knows it (until then adding its replica fails with
    /// "No such master ID"), joins the second as its replica (<c>--cluster-slave --cluster-master-id</c>), waits until the
    /// cluster is healthy, then moves slots to it with <c>redis-cli --cluster rebalance … --cluster-use-empty-masters</c>
    /// and waits until every node agrees on the new owners. Clients keep working meanwhile: a key in a slot being moved
    /// answers ASK (already moved) or is served where it is.
    /// </summary>
    public async Task<RedisShardChange> AddShardAsync(CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var any = Reachable().FirstOrDefault() ?? throw new InvalidOperationException($"No node of the Redis cluster is running.\n{DescribeNodes()}");
        var nodes = _nodes;
        var primary = NewNode(nodes.Length);
        var replica = NewNode(nodes.Length + 1);
        _nodes = [.. nodes, primary, replica];
        // One at a time: the health check counts every running node, and a node that has not joined yet is not healthy.
        await primary.StartAsync(cancellationToken).ConfigureAwait(false);
        await RunClusterCommandAsync(["--cluster", "add-node", primary.Endpoint, any.Endpoint], cancellationToken).ConfigureAwait(false);
        await WaitForHealthyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await replica.StartAsync(cancellationToken).ConfigureAwait(false);
        await RunClusterCommandAsync(
            ["--cluster", "add-node", replica.Endpoint, any.Endpoint, "--cluster-slave", "--cluster-master-id", primary.NodeId!],
            cancellationToken).ConfigureAwait(false);
        _addedShards.Push((primary, replica));
        await WaitForHealthyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var membership = total.Elapsed;
        await RunClusterCommandAsync(["--cluster", "rebalance", any.Endpoint, "--cluster-use-empty-masters"], cancellationToken).ConfigureAwait(false);
        await WaitForHealthyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var slots = (await GetTopologyAsync(cancellationToken).ConfigureAwait(false)).Find(primary.NodeId!)?.SlotCount ?? 0;
        if (slots == 0)
        {
            throw new InvalidOperationException($"The rebalance moved no slot to the new primary {primary}.\n{await GetTopologyAsync(cancellationToken).ConfigureAwait(false)}");
        }

        return new RedisShardChange(primary, replica, membership, total.Elapsed - membership, slots, total.Elapsed);
    }

    /// <summary>
    /// Removes the shard added last (never one of the nodes the cluster was created with): moves every slot of its
    /// current primary to the other primaries (<c>redis-cli --cluster rebalance … --cluster-weight &lt;id&gt;=0</c>), waits
    /// until every node agrees, takes both nodes out (<c>--cluster del-node</c>, replica first), stops them and deletes
    /// their directories.
    /// </summary>
    /// <exception cref="InvalidOperationException">No shard was added, or its primary still serves slots after the rebalance.</exception>
    public async Task<RedisShardChange> RemoveShardAsync(CancellationToken cancellationToken = default)
    {
        if (_addedShards.Count == 0)
        {
            throw new InvalidOperationException("No shard was added to this cluster: the nodes it was created with are never removed.");
        }

        var total = Stopwatch.StartNew();
        var (first, second) = _addedShards.Peek();
        var any = Reachable().FirstOrDefault(n => n != first && n != second)
            ?? throw new InvalidOperationException($"No node of the Redis cluster outside the shard to remove is running.\n{DescribeNodes()}");
        var topology = await GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        var (primary, replica) = topology.Find(first.NodeId!)?.IsPrimary == true ? (first, second) : (second, first);
        var slots = topology.Find(primary.NodeId!)?.SlotCount ?? 0;
        await RunClusterCommandAsync(["--cluster", "rebalance", any.Endpoint, "--cluster-weight", $"{primary.NodeId}=0"], cancellationToken).ConfigureAwait(false);
        await WaitForHealthyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        topology = await GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        if (topology.Find(primary.NodeId!) is { SlotCount: > 0 } left)
        {
            throw new InvalidOperationException($"{primary} still serves {left.SlotCount} slots after the rebalance.\n{topology}");
        }

        var slotMove = total.Elapsed;
        // del-node refuses a primary that still has replicas.
        await RunClusterCommandAsync(["--cluster", "del-node", any.Endpoint, replica.NodeId!], cancellationToken).ConfigureAwait(false);
        await RunClusterCommandAsync(["--cluster", "del-node", any.Endpoint, primary.NodeId!], cancellationToken).ConfigureAwait(false);
        _addedShards.Pop();
        _nodes = [.. _nodes.Where(n => n != primary && n != replica)];
        await Task.WhenAll(primary.DisposeAsync().AsTask(), replica.DisposeAsync().AsTask()).ConfigureAwait(false);
        foreach (var node in new[] { primary, replica })
        {
            Directory.Delete(node.DataDirectory, recursive: true);
        }

        await WaitForHealthyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new RedisShardChange(primary, replica, total.Elapsed - slotMove, slotMove, slots, total.Elapsed);
    }

    /// <summary>Runs <c>redis-cli</c> with <paramref name="arguments"/>; fails on a non-zero exit or an <c>[ERR]</c> line (some cluster errors exit 0).</summary>
    private async Task RunClusterCommandAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ManagedProcess.RunAsync(_cli, arguments, ClusterCommandTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        var description = $"redis-cli {string.Join(' ', arguments)}";
        result.EnsureSuccess(description);
        if (result.StandardOutput.Split('\n').Any(l => l.StartsWith("[ERR]", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{description} reported an error.\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}\n{DescribeNodes()}");
        }
    }
}
