using System.Buffers.Binary;
using Actors.Benchmarks.Charts;
using Actors.TestInfrastructure;

namespace Actors.Benchmarks.UnitTests;

/// <summary>The charts of <c>./actors bench</c>, drawn from checked-in samples of results/*.json.</summary>
public sealed class BenchmarkChartsUnitTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private readonly TempDirectory _output = TempDirectory.Create("charts");

    [Fact]
    public void RenderLatest_E2eAndRecoverySamples_EveryChartIsAPngOfTheExpectedSize()
    {
        var written = BenchmarkCharts.RenderLatest(Samples, _output.Path);

        written.Select(Path.GetFileName).Should().BeEquivalentTo(["performance-throughput.png", "performance-p99.png", "reliability-recovery.png"]);
        foreach (var file in written)
        {
            var bytes = File.ReadAllBytes(file);
            bytes.Length.Should().BeGreaterThan(10_000, $"{Path.GetFileName(file)} should hold a drawn chart, not a blank image");
            PngSize(bytes).Should().Be((BenchmarkCharts.Width, BenchmarkCharts.Height), Path.GetFileName(file));
        }
    }

    [Fact]
    public void RenderLatest_NoRecords_WritesNothing()
    {
        using var empty = TempDirectory.Create("no-results");
        BenchmarkCharts.RenderLatest(empty.Path, _output.Path).Should().BeEmpty();
    }

    /// <summary>Width and height from the PNG signature and IHDR chunk (RFC 2083, 11.2.2).</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        png.AsSpan(0, 8).ToArray().Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], "a PNG starts with its signature");
        System.Text.Encoding.ASCII.GetString(png, 12, 4).Should().Be("IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    public void Dispose() => _output.Dispose();
}
