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


    // Persisted fingerprints of bodies that exercise every branch of the canonical layout: escapes, non-ASCII text,
    // member names whose UTF-16 order differs from their UTF-8 order (U+FF5E sorts before U+1F600 in UTF-16 but
    // after it in UTF-8), nesting, numbers kept as text, and a body that is not JSON.
    [Theory]
    [InlineData(WriteOp.Put, """{"title":"Hi","n":1.50,"tags":["a","b"],"owner":{"name":"x","ok":true,"no":false,"z":null}}""", "CA5C441D4DBD84F5F5C27BD783B3A979")]
    [InlineData(WriteOp.Merge, """{"\u0041\n\"":"caf\u00e9 \ud83d\ude00","é":[[],{}]}""", "0A8203AB9CB96FAA5840B8E27BE6D617")]
    [InlineData(WriteOp.Merge, "{\"\uff5e\":1,\"\ud83d\ude00\":2,\"~\":3,\"\u00ff\":4}", "E4527ACB619CD70EF630D6330563183D")]
    [InlineData(WriteOp.Patch, """[{"op":"replace","path":"/count","value":-12e3}]""", "20F4C5E2A488A7F1E0DC32F46057F186")]
    [InlineData(WriteOp.Put, "{not json", "E8D896A612E60C8638C1E30D3B3C2A64")]
    public void Compute_KnownValues_AreStableAcrossReleases(WriteOp op, string body, string expected)
    {
        Fingerprint(op, body).ToString("X32", System.Globalization.CultureInfo.InvariantCulture).Should().Be(expected);
    }

    private static UInt128 Fingerprint(WriteOp op, string body) => CommandFingerprint.Compute(new WriteCommand(op, "w", body));
}
