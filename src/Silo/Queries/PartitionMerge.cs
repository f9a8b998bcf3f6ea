namespace Actors.Silo.Queries;

/// <summary>
/// The k-way merge of B partitions' sorted entries into one ordered stream (docs/queries.md, Reading a page): every
/// partition is read in small batches, and an entry is released only when no partition can still return a smaller one
/// — i.e. up to the lowest "last entry fetched" among partitions that returned a full batch. Partitions whose batch was
/// consumed up to that frontier are fetched again, together, in one round.
/// </summary>
/// <remarks>Cost per page: O(B) range reads of O(log n + batch) each per round; rounds are few because batches are sized for the page.</remarks>
internal sealed class PartitionMerge
{
    /// <summary>Reads up to <paramref name="count"/> entries of each partition's range, in the merge's order.</summary>
    public delegate Task<IReadOnlyList<byte[]>[]> FetchAsync(IReadOnlyList<(int Partition, LexRange Range)> requests, int count);

    private readonly LexRange _range;
    private readonly bool _descending;
    private readonly int _batch;
    private readonly FetchAsync _fetch;
    private readonly Queue<byte[]>[] _buffers;
    private readonly byte[]?[] _last;
    private readonly bool[] _exhausted;
    private bool _started;

    public PartitionMerge(int partitions, LexRange range, bool descending, int batch, FetchAsync fetch)
    {
        _range = range;
        _descending = descending;
        _batch = Math.Max(1, batch);
        _fetch = fetch;
        _buffers = new Queue<byte[]>[partitions];
        _last = new byte[]?[partitions];
        _exhausted = new bool[partitions];
        for (var i = 0; i < partitions; i++)
        {
            _buffers[i] = new Queue<byte[]>();
        }
    }

    /// <summary>The batch each partition is first read with for a page of <paramref name="limit"/>: about twice its share, plus 2.</summary>
    public static int BatchFor(int limit, int partitions) => (2 * limit / partitions) + 2;

    /// <summary>How many read rounds ran (each one batch of range reads over the partitions that needed more).</summary>
    public int Rounds { get; private set; }

    /// <summary>Whether any entry may remain after the ones returned so far.</summary>
    public bool MayHaveMore => _buffers.Any(b => b.Count > 0) || _exhausted.Any(e => !e);

    /// <summary>The next up to <paramref name="want"/> entries (partition, entry) in order; fewer only when none remain.</summary>
    public async Task<List<(int Partition, byte[] Entry)>> NextAsync(int want)
    {
        var result = new List<(int, byte[])>(want);
        if (!_started)
        {
            _started = true;
            await FetchRoundAsync(Enumerable.Range(0, _buffers.Length).ToList(), _batch).ConfigureAwait(false);
        }

        while (result.Count < want)
        {
            // Nothing beyond the frontier may be released: a partition with a full batch may hold entries before it.
            byte[]? frontier = null;
            for (var p = 0; p < _buffers.Length; p++)
            {
                if (!_exhausted[p] && (frontier is null || Compare(_last[p]!, frontier) < 0))
                {
                    frontier = _last[p];
                }
            }

            while (result.Count < want)
            {
                var best = -1;
                for (var p = 0; p < _buffers.Length; p++)
                {
                    if (_buffers[p].Count > 0 && (best < 0 || Compare(_buffers[p].Peek(), _buffers[best].Peek()) < 0))
                    {
                        best = p;
                    }
                }
                if (best < 0 || (frontier is not null && Compare(_buffers[best].Peek(), frontier) > 0))
                {
                    break;
                }
                result.Add((best, _buffers[best].Dequeue()));
            }

            if (result.Count >= want)
            {
                break;
            }

            var refill = new List<int>();
            for (var p = 0; p < _buffers.Length; p++)
            {
                if (!_exhausted[p] && _buffers[p].Count == 0)
                {
                    refill.Add(p);
                }
            }
            if (refill.Count == 0)
            {
                break;
            }
            await FetchRoundAsync(refill, Math.Max(_batch, ((want - result.Count) / refill.Count) + 2)).ConfigureAwait(false);
        }
        return result;
    }

    private async Task FetchRoundAsync(List<int> partitions, int count)
    {
        Rounds++;
        var requests = partitions.Select(p => (p, _last[p] is { } last ? _range.After(last, _descending) : _range)).ToList();
        var batches = await _fetch(requests, count).ConfigureAwait(false);
        for (var i = 0; i < partitions.Count; i++)
        {
            var p = partitions[i];
            foreach (var entry in batches[i])
            {
                _buffers[p].Enqueue(entry);
            }
            if (batches[i].Count > 0)
            {
                _last[p] = batches[i][^1];
            }
            if (batches[i].Count < count)
            {
                _exhausted[p] = true;
            }
        }
    }

    private int Compare(byte[] a, byte[] b) => _descending ? IndexValue.Compare(b, a) : IndexValue.Compare(a, b);
}
