using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using Actors.Contracts.Hosting;
using Actors.TestInfrastructure.Redis;

using Actors.TestInfrastructure.Load;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// Where the load's roots and the membership table live on a Redis Cluster: which hash slot, which primary now.
/// </summary>
/// <remarks>
/// <para>The silo's storage keeps a root's state under <c>actors/{&lt;service&gt;/p&lt;n&gt;}/root/root/&lt;type&gt;/&lt;id&gt;</c>,
/// n = XxHash32 of <c>&lt;type&gt;/&lt;id&gt;</c> modulo the partition count (src/Silo/Storage/RootStorageKeys.cs,
/// docs/configuration.md). The silo's type is internal and its assembly is not referenced here (the tests run it as a
/// process), so the layout is repeated below; <see cref="VerifyAsync"/> checks it against the keys the silos actually
/// wrote, so a changed layout fails the scenario instead of silently choosing the wrong node.</para>
/// <para>Orleans' Redis clustering keeps membership under <c>&lt;service&gt;/members/&lt;cluster&gt;</c> (no hash tag).</para>
/// </remarks>
internal sealed class RedisPlacement
{
    /// <summary><c>Actors:Storage:Partitions</c>, the default the silos run with.</summary>
    public const int Partitions = 64;

    private readonly RedisClusterServer _redis;
    private readonly ActorsClusterOptions _cluster;

    private RedisPlacement(RedisClusterServer redis, ActorsClusterOptions cluster, IReadOnlyList<Root> roots, int membershipSlot)
    {
        _redis = redis;
        _cluster = cluster;
        Roots = roots;
        MembershipSlot = membershipSlot;
    }

    /// <summary>One root of a load generator with its storage key and hash slot.</summary>
    public sealed record Root(WriteLoad Load, int Index, string Key, int Slot);

    /// <summary>Every root of the generators given to <see cref="LocateAsync"/>.</summary>
    public IReadOnlyList<Root> Roots { get; }

    /// <summary>The hash slot of the membership table.</summary>
    public int MembershipSlot { get; }

    /// <summary>The key of the membership table.</summary>
    public string MembershipKey => MembershipKeyOf(_cluster);

    /// <summary>The key of the membership table of <paramref name="cluster"/>.</summary>
    public static string MembershipKeyOf(ActorsClusterOptions cluster) => $"{cluster.ServiceId}/members/{cluster.ClusterId}";

    /// <summary>The storage key of root <c>load/&lt;id&gt;</c> of the service.</summary>
    public static string StateKey(string serviceId, string rootId)
    {
        var root = $"{HttpLoadGenerator.RootType}/{rootId}";
        var partition = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(root)) % Partitions;
        return $"actors/{{{serviceId}/p{partition}}}/root/root/{root}";
    }

    /// <summary>Computes the slot of every root of <paramref name="loads"/> and of the membership table.</summary>
    public static async Task<RedisPlacement> LocateAsync(RedisClusterServer redis, ActorsClusterOptions cluster, IEnumerable<WriteLoad> loads, CancellationToken cancellationToken)
    {
        var roots = new List<Root>();
        foreach (var load in loads)
        {
            for (var i = 0; i < load.RootIds.Count; i++)
            {
                var key = StateKey(cluster.ServiceId, load.RootIds[i]);
                roots.Add(new Root(load, i, key, await redis.GetKeySlotAsync(key, cancellationToken)));
            }
        }
        return new RedisPlacement(redis, cluster, roots, await redis.GetKeySlotAsync(MembershipKeyOf(cluster), cancellationToken));
    }

    /// <summary>Checks that every root's key exists on the primary that serves its slot now (the layout above is right).</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var topology = await _redis.GetTopologyAsync(cancellationToken);
        foreach (var root in Roots)
        {
            var owner = topology.OwnerOf(root.Slot) ?? throw new InvalidOperationException($"No primary serves slot {root.Slot}.\n{topology}");
            var exists = await _redis.NodeAt(owner.Port).ExecuteAsync(["EXISTS", root.Key], cancellationToken);
            if (exists != "1")
            {
                throw new InvalidOperationException(
                    $"Root key {root.Key} is not on {owner.Port}, the primary of its slot {root.Slot}: the storage layout changed (see src/Silo/Storage/RootStorageKeys.cs).");
            }
        }
        if (await _redis.NodeAt(topology.OwnerOf(MembershipSlot)!.Port).ExecuteAsync(["EXISTS", MembershipKey], cancellationToken) != "1")
        {
            throw new InvalidOperationException($"The membership key {MembershipKey} is not on the primary of its slot {MembershipSlot}.");
        }
    }

    /// <summary>The primary serving the membership table now.</summary>
    public Task<RedisClusterNode> MembershipPrimaryAsync(CancellationToken cancellationToken) => _redis.PrimaryForSlotAsync(MembershipSlot, cancellationToken);

    /// <summary>The roots each primary serves now, by primary port.</summary>
    public async Task<Dictionary<int, List<Root>>> RootsByPrimaryAsync(CancellationToken cancellationToken)
    {
        var topology = await _redis.GetTopologyAsync(cancellationToken);
        var result = topology.Primaries.Where(p => p.SlotCount > 0).ToDictionary(p => p.Port, _ => new List<Root>());
        foreach (var root in Roots)
        {
            result[topology.OwnerOf(root.Slot)!.Port].Add(root);
        }
        return result;
    }

    /// <summary>
    /// The primary serving the most roots (every root is written equally often: the load spreads writes round-robin),
    /// other than the one holding the membership table when another has roots too, so that the storage scenarios stay
    /// apart from scenario 11.
    /// </summary>
    public async Task<(RedisClusterNode Primary, IReadOnlyList<Root> Roots)> BusiestPrimaryAsync(CancellationToken cancellationToken)
    {
        var byPrimary = await RootsByPrimaryAsync(cancellationToken);
        var membership = (await MembershipPrimaryAsync(cancellationToken)).Port;
        var (port, roots) = byPrimary
            .OrderBy(p => p.Key == membership && byPrimary.Any(o => o.Key != membership && o.Value.Count > 0) ? 1 : 0)
            .ThenByDescending(p => p.Value.Count)
            .First();
        return (_redis.NodeAt(port), roots);
    }

    /// <summary>
    /// Polls the topology until a node other than <paramref name="primary"/> serves <paramref name="slot"/> (its replica
    /// was promoted) and returns the clock's time then, or null if that did not happen within <paramref name="timeout"/>
    /// or before <paramref name="cancellationToken"/> (the caller saw recovery without it).
    /// </summary>
    public async Task<TimeSpan?> WaitForFailoverAsync(RedisClusterNode primary, int slot, Stopwatch clock, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            while (stopwatch.Elapsed < timeout)
            {
                try
                {
                    var owner = (await _redis.GetTopologyAsync(cancellationToken)).OwnerOf(slot);
                    if (owner is not null && owner.Port != primary.Port)
                    {
                        return clock.Elapsed;
                    }
                }
                catch (InvalidOperationException)
                {
                    // No node answered this time.
                }
                await Task.Delay(50, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped watching.
        }
        return null;
    }
}
