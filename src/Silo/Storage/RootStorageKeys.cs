using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;

namespace Actors.Silo.Storage;

/// <summary>
/// Where a root's state lives in Redis (docs/configuration.md, Storage layout): <c>actors/{&lt;service&gt;/p&lt;n&gt;}/&lt;state&gt;/&lt;grain id&gt;</c>.
/// </summary>
/// <remarks>
/// <para>The part in braces is the Redis Cluster hash tag: every root belongs to one of <see cref="Partitions"/>
/// partitions (a hash of its id), and every key of one partition — the root states, and later the partition's query
/// index entries — hashes to one slot, so a Lua script can change a document and its index entries
/// atomically on any cluster. Partitions, not roots, are what Redis moves between shards.</para>
/// <para>The partition count is part of the layout: changing it moves every root to another key. Keep the default
/// unless the store is empty.</para>
/// </remarks>
internal sealed class RootStorageKeys
{
    private readonly string _serviceId;

    public RootStorageKeys(string serviceId, int partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _serviceId = serviceId;
        Partitions = partitions;
    }

    /// <summary>How many partitions roots are spread over.</summary>
    public int Partitions { get; }

    /// <summary>The partition of a grain: a stable hash of its key (the root id for root grains).</summary>
    public int PartitionOf(GrainId grainId) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(grainId.Key.ToString()!)) % (uint)Partitions);

    /// <summary>The hash tag of a partition, braces included.</summary>
    public string Tag(int partition) => $"{{{_serviceId}/p{partition}}}";

    /// <summary>The key of one persistent state (<c>root</c>, <c>writes</c>) of a grain.</summary>
    public RedisKey StateKey(string stateName, GrainId grainId) => $"actors/{Tag(PartitionOf(grainId))}/{stateName}/{grainId}";
}
