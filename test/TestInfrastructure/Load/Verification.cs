namespace Actors.TestInfrastructure.Load;

/// <summary>What the roots hold after a scenario, against what the load generator sent and was told.</summary>
public sealed record Verification(
    int Sent,
    int Acknowledged,
    int NotAcknowledged,
    int AcknowledgedAsDuplicate,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> AppliedTwice,
    IReadOnlyList<string> NeverSent,
    IReadOnlyList<string> InWrongRoot,
    int AppliedNotAcknowledged,
    IReadOnlyList<string> Rejected)
{
    /// <summary>Compares the final <paramref name="items"/> of every root with the write log of <paramref name="load"/>.</summary>
    public static Verification Check(WriteLoad load, IReadOnlyList<IReadOnlyList<string>> items) => Check(load.Writes, load.Sent, items);

    /// <summary>Compares the final <paramref name="items"/> of every root with a write log and the values sent (value → root index).</summary>
    public static Verification Check(IReadOnlyCollection<WriteRecord> log, IReadOnlyDictionary<string, int> sent, IReadOnlyList<IReadOnlyList<string>> items)
    {
        var writes = log.ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var wrongRoot = new List<string>();
        for (var root = 0; root < items.Count; root++)
        {
            foreach (var value in items[root])
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
                if (sent.TryGetValue(value, out var sentTo) && sentTo != root)
                {
                    wrongRoot.Add(value);
                }
            }
        }
        var acknowledged = writes.Where(w => w.Acknowledged).ToList();
        return new Verification(
            sent.Count,
            acknowledged.Count,
            writes.Count - acknowledged.Count,
            acknowledged.Count(w => w.Duplicate),
            [.. acknowledged.Where(w => counts.GetValueOrDefault(w.Value) == 0).Select(w => w.Value)],
            [.. counts.Where(c => c.Value > 1).Select(c => c.Key)],
            [.. counts.Keys.Where(value => !sent.ContainsKey(value))],
            wrongRoot,
            writes.Count(w => !w.Acknowledged && counts.ContainsKey(w.Value)),
            [.. writes.Where(w => w.Rejected is not null).Select(w => w.Rejected!)]);
    }
}
