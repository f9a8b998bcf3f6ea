using System.Text;
using Actors.Silo.Queries;

namespace Actors.Silo.Tests.Queries;

public sealed class PartitionMergeUnitTests
{
    private static (PartitionMerge Merge, List<int> Fetched) Create(List<string>[] partitions, LexRange range, bool descending, int batch)
    {
        var fetched = new List<int>();
        var sorted = partitions.Select(p => p.Select(Encoding.ASCII.GetBytes)
            .OrderBy(b => b, Comparer<byte[]>.Create((a, b) => IndexValue.Compare(a, b))).ToList()).ToArray();
        var merge = new PartitionMerge(partitions.Length, range, descending, batch, (requests, count) =>
        {
            var results = requests.Select(r =>
            {
                fetched.Add(r.Partition);
                var inRange = sorted[r.Partition].Where(e => r.Range.Contains(e));
                return (IReadOnlyList<byte[]>)(descending ? inRange.Reverse() : inRange).Take(count).ToList();
            }).ToArray();
            return Task.FromResult(results);
        });
        return (merge, fetched);
    }

    private static List<string>[] RandomPartitions(int partitions, int items, int seed, bool skewed = false)
    {
        var random = new Random(seed);
        var result = Enumerable.Range(0, partitions).Select(_ => new List<string>()).ToArray();
        for (var i = 0; i < items; i++)
        {
            var p = skewed && random.Next(10) < 9 ? 0 : random.Next(partitions);
            result[p].Add($"k{random.Next(1_000_000):D7}-{i}");
        }
        return result;
    }

    [Theory]
    [InlineData(64, 1000, 100, false, false)]
    [InlineData(64, 1000, 7, true, false)]
    [InlineData(8, 500, 1000, false, true)]
    [InlineData(64, 30, 10, false, false)]
    [InlineData(3, 0, 10, false, false)]
    public async Task Merge_PageAfterPage_EveryEntryOnceInOrder(int partitions, int items, int limit, bool descending, bool skewed)
    {
        var data = RandomPartitions(partitions, items, seed: items + limit, skewed);
        var expected = data.SelectMany(p => p).Order(StringComparer.Ordinal).ToList();
        if (descending)
        {
            expected.Reverse();
        }

        var seen = new List<string>();
        byte[]? after = null;
        var pages = 0;
        while (true)
        {
            var range = after is null ? LexRange.All : LexRange.All.After(after, descending);
            var (merge, _) = Create(data, range, descending, PartitionMerge.BatchFor(limit, partitions));
            var page = await merge.NextAsync(limit);
            page.Count.Should().BeLessThanOrEqualTo(limit);
            seen.AddRange(page.Select(e => Encoding.ASCII.GetString(e.Entry)));
            pages++;
            if (page.Count < limit || !merge.MayHaveMore)
            {
                break;
            }
            after = page[^1].Entry;
        }

        seen.Should().Equal(expected);
        pages.Should().BeLessThanOrEqualTo((items / limit) + 2);
    }

    [Fact]
    public async Task Merge_UniformPartitions_OneRoundPerPageMostly()
    {
        var data = RandomPartitions(64, 20_000, seed: 1);
        var (merge, fetched) = Create(data, LexRange.All, false, PartitionMerge.BatchFor(1000, 64));
        (await merge.NextAsync(1000)).Should().HaveCount(1000);
        merge.Rounds.Should().BeLessThanOrEqualTo(3, "batches of twice a partition's share cover a page");
        fetched.Count.Should().BeLessThan(64 * 3);
    }

    [Fact]
    public async Task Merge_ManyCalls_ContinuesWhereItStopped()
    {
        var data = RandomPartitions(16, 300, seed: 5);
        var (merge, _) = Create(data, LexRange.All, false, 3);
        var all = new List<string>();
        List<(int, byte[] Entry)> chunk;
        while ((chunk = await merge.NextAsync(17)).Count > 0)
        {
            all.AddRange(chunk.Select(c => Encoding.ASCII.GetString(c.Entry)));
        }
        all.Should().Equal(data.SelectMany(p => p).Order(StringComparer.Ordinal));
        merge.MayHaveMore.Should().BeFalse();
    }
}
