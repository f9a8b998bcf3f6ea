using System.Buffers.Text;
using Actors.Contracts;
using Actors.Silo.Queries;

namespace Actors.Silo.Tests.Queries;

public sealed class QueryTokenUnitTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly RootQuery Query = new("topic", "status", IndexCondition.Equal("\"open\""), Filters: [new QueryFilter("/n", FilterOp.Gt, "3")]);
    private static readonly byte[] Entry = IndexValue.Entry(IndexValue.EncodeString("open"), "t-42");

    [Fact]
    public void Token_RoundTrip_GivesTheEntryBack()
    {
        var token = QueryToken.Create(Key, Query, Entry);
        QueryToken.TryRead(Key, Query, token, out var entry).Should().BeTrue();
        entry.Should().Equal(Entry);
        token.Should().MatchRegex("^[A-Za-z0-9_-]+$", "it travels in URLs");
    }

    [Fact]
    public void Token_OtherLimit_StillValid() =>
        QueryToken.TryRead(Key, Query with { Limit = 7 }, QueryToken.Create(Key, Query, Entry), out _).Should().BeTrue("the page size may change between pages");

    [Fact]
    public void Token_EveryByteFlipped_Refused()
    {
        var bytes = Base64Url.DecodeFromChars(QueryToken.Create(Key, Query, Entry));
        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            QueryToken.TryRead(Key, Query, Base64Url.EncodeToString(tampered), out _).Should().BeFalse("byte {0} was changed", i);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void Token_Garbage_Refused(string token) => QueryToken.TryRead(Key, Query, token, out _).Should().BeFalse();

    [Fact]
    public void Token_OfAnotherQuery_Refused()
    {
        var token = QueryToken.Create(Key, Query, Entry);
        RootQuery[] others =
        [
            Query with { Type = "topics" },
            Query with { Index = "state" },
            Query with { Condition = IndexCondition.Equal("\"closed\"") },
            Query with { Condition = IndexCondition.Between("\"open\"", null) },
            Query with { Descending = true },
            Query with { Filters = null },
            Query with { Filters = [new QueryFilter("/n", FilterOp.Ge, "3")] },
            Query with { Index = null, Condition = null },
        ];
        foreach (var other in others)
        {
            QueryToken.TryRead(Key, other, token, out _).Should().BeFalse("{0} is another query", other);
        }
        QueryToken.TryRead([.. Key.Reverse()], Query, token, out _).Should().BeFalse("another cluster's key");
    }
}
