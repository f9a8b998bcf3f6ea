using System.Globalization;
using System.Text;

namespace Actors.Benchmarks;

/// <summary>The ~500-byte document every benchmark writes, so micro and end-to-end figures describe the same write.</summary>
internal static class Payloads
{
    private static readonly string Filler = new('x', 300);

    /// <summary>A ~500-byte JSON object; <paramref name="counter"/> changes a value so consecutive writes differ.</summary>
    public static string Document(long counter) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"title":"Benchmark document","count":{{counter}},"tags":["alpha","beta","gamma"],"owner":{"name":"bench","email":"bench@example.org"},"body":"{{Filler}}","done":false}""");

    /// <summary>An RFC 6902 patch of two operations on <see cref="Document"/>.</summary>
    public static string JsonPatch(long counter) => string.Create(CultureInfo.InvariantCulture,
        $$"""[{"op":"test","path":"/owner/name","value":"bench"},{"op":"replace","path":"/count","value":{{counter}}}]""");

    /// <summary>The 500-byte payload of the bare persisted grain, the size of <see cref="Document"/>.</summary>
    public static string BareState { get; } = new('y', Encoding.UTF8.GetByteCount(Document(0)));
}
