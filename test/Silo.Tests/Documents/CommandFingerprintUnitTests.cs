using Actors.Contracts;
using Actors.Silo.Documents;

namespace Actors.Silo.Tests.Documents;

public sealed class CommandFingerprintUnitTests
{
    private const string KnownPatchFingerprint = "2C81E96B45B05DC7BB2560400FF23445";

    [Theory]
    [InlineData("""{"a":1,"b":[1,2]}""", """ { "a" : 1 ,  "b" : [ 1 , 2 ] } """)]
    [InlineData("""{"a":1,"b":[1,2]}""", "{\n\t\"a\":1,\r\n\"b\":[1,2]\n}")]
    [InlineData("""{"a":"x"}""", """{"a":"\u0078"}""")]
    [InlineData("""{"a":1,"b":{"c":2,"d":3}}""", """{"b":{"d":3,"c":2},"a":1}""")]
    public void Compute_SameJsonValue_SameFingerprint(string left, string right)
    {
        Fingerprint(WriteOp.Put, left).Should().Be(Fingerprint(WriteOp.Put, right));
    }

    [Theory]
    [InlineData("""{"a":1}""", """{"a":2}""")]
    [InlineData("""{"a":1}""", """{"a":"1"}""")]
    [InlineData("""{"a":1}""", """{"a":1.0}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"a":null}""", """{}""")]
    [InlineData("""{"a":{"b":1}}""", """{"a":{"b":1},"c":1}""")]
    [InlineData("""{"ab":"c"}""", """{"a":"bc"}""")]
    public void Compute_DifferentBody_DifferentFingerprint(string left, string right)
    {
        Fingerprint(WriteOp.Put, left).Should().NotBe(Fingerprint(WriteOp.Put, right));
    }

    [Fact]
    public void Compute_DifferentOp_DifferentFingerprint()
    {
        Fingerprint(WriteOp.Put, "{}").Should().NotBe(Fingerprint(WriteOp.Merge, "{}"));
        CommandFingerprint.Compute(WriteCommand.Delete("w")).Should().NotBe(Fingerprint(WriteOp.Put, "{}"));
    }

    [Fact]
    public void Compute_DifferentIfVersion_DifferentFingerprint()
    {
        var none = CommandFingerprint.Compute(WriteCommand.Put("w", "{}"));
        var zero = CommandFingerprint.Compute(WriteCommand.Put("w", "{}", ifVersion: 0));
        var one = CommandFingerprint.Compute(WriteCommand.Put("w", "{}", ifVersion: 1));

        new[] { none, zero, one }.Should().OnlyHaveUniqueItems();
        CommandFingerprint.Compute(WriteCommand.Put("w", "{}", ifVersion: 1)).Should().Be(one);
    }

    [Fact]
    public void Compute_WriteIdIsNotPartOfTheCommand()
    {
        CommandFingerprint.Compute(WriteCommand.Put("w1", "{}")).Should().Be(CommandFingerprint.Compute(WriteCommand.Put("w2", "{}")));
    }

    [Fact]
    public void Compute_InvalidJson_IsStableAndDiffersFromOtherText()
    {
        Fingerprint(WriteOp.Put, "{oops").Should().Be(Fingerprint(WriteOp.Put, "{oops"));
        Fingerprint(WriteOp.Put, "{oops").Should().NotBe(Fingerprint(WriteOp.Put, "{oops "));
        Fingerprint(WriteOp.Put, """{"a":1,"a":2}""").Should().NotBe(Fingerprint(WriteOp.Put, """{"a":2}"""));
    }

    [Fact]
    public void Compute_KnownValue_IsStableAcrossReleases()
    {
        // Fingerprints are persisted with write ids: if this changes, every retry after an upgrade would be refused
        // as "write id reused". Change LayoutVersion and this value together, on purpose.
        var fingerprint = Fingerprint(WriteOp.Patch, """[{"op":"add","path":"/a","value":1}]""");

        fingerprint.ToString("X32", System.Globalization.CultureInfo.InvariantCulture).Should().Be(KnownPatchFingerprint);
    }

    private static UInt128 Fingerprint(WriteOp op, string body) => CommandFingerprint.Compute(new WriteCommand(op, "w", body));
}
