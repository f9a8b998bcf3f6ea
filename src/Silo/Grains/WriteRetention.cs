namespace Actors.Silo.Grains;

/// <summary>
/// How long a root remembers write ids (docs/data-model.md, Write ids): the last <see cref="Count"/> writes, and every
/// write younger than <see cref="MinAge"/> on top, up to <see cref="MaxEntries"/> in all.
/// </summary>
/// <param name="Count">Writes always remembered (<c>Actors:Roots:WriteIdMemory</c>).</param>
/// <param name="MinAge">Writes younger than this are remembered too, however many came since (<c>WriteIdMinRetention</c>).</param>
/// <param name="MaxEntries">The hard ceiling on a hot root's memory (<c>WriteIdMaxEntries</c>); beyond it the oldest go even if young.</param>
/// <param name="Time">The clock.</param>
internal sealed record WriteRetention(int Count, TimeSpan MinAge, int MaxEntries, TimeProvider Time)
{
    /// <summary>Count only: what roots did before the time-based minimum existed; for tests of the count rule.</summary>
    public static WriteRetention ByCount(int count) => new(count, TimeSpan.Zero, count, TimeProvider.System);
}
