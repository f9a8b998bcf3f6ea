using System.IO.Hashing;
using System.Text;

namespace Actors.Silo.Grains;

/// <summary>
/// The lookup side of <see cref="RootState.Writes"/>: finds a remembered write by id in O(1) and keeps the list bounded,
/// evicting the oldest. Rebuilt from the persisted list on activation; the list stays the single source of truth.
/// </summary>
internal sealed class WriteMemory
{
    private readonly Dictionary<UInt128, RememberedWrite> _byId = [];
    private readonly int _capacity;

    public WriteMemory(IEnumerable<RememberedWrite> writes, int capacity)
    {
        _capacity = capacity;
        foreach (var write in writes)
        {
            _byId[Key(write)] = write;
        }
    }

    /// <summary>The 128-bit hash the memory keys a write id by.</summary>
    public static UInt128 HashWriteId(string writeId)
    {
        Span<byte> utf8 = writeId.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(writeId.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(writeId.Length)];
        var length = Encoding.UTF8.GetBytes(writeId, utf8);
        return XxHash128.HashToUInt128(utf8[..length]);
    }

    public bool TryGet(UInt128 writeIdHash, out RememberedWrite write) => _byId.TryGetValue(writeIdHash, out write);

    /// <summary>
    /// Returns the persisted list with <paramref name="write"/> appended and the oldest dropped beyond capacity,
    /// without touching <paramref name="current"/> (the grain keeps it until storage confirms the new state).
    /// </summary>
    public List<RememberedWrite> Append(List<RememberedWrite> current, RememberedWrite write)
    {
        var skip = Math.Max(0, current.Count + 1 - _capacity);
        var next = new List<RememberedWrite>(current.Count - skip + 1);
        for (var i = skip; i < current.Count; i++)
        {
            next.Add(current[i]);
        }
        next.Add(write);
        return next;
    }

    /// <summary>Brings the lookup in line with a list <see cref="Append"/> produced, once it is durable.</summary>
    public void Commit(List<RememberedWrite> previous, List<RememberedWrite> next)
    {
        var evicted = previous.Count + 1 - next.Count;
        for (var i = 0; i < evicted; i++)
        {
            _byId.Remove(Key(previous[i]));
        }
        var added = next[^1];
        _byId[Key(added)] = added;
    }

    public static UInt128 Key(RememberedWrite write) => new(write.WriteIdHashHigh, write.WriteIdHashLow);
}
