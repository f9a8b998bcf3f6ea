using System.Text.Json;
using Actors.Contracts;
using Actors.Silo.Queries;

namespace Actors.Silo.Tests.Queries;

public sealed class DocumentFilterUnitTests
{
    private const string Document = """{"n":3,"s":"b","t":true,"z":null,"o":{"k":1},"u":"\u00e9"}""";

    [Theory]
    [InlineData("/n", FilterOp.Eq, "3", true)]
    [InlineData("/n", FilterOp.Eq, "3.0", true)]
    [InlineData("/n", FilterOp.Eq, "\"3\"", false)]
    [InlineData("/n", FilterOp.Ne, "\"3\"", true)]
    [InlineData("/n", FilterOp.Lt, "4", true)]
    [InlineData("/n", FilterOp.Le, "3", true)]
    [InlineData("/n", FilterOp.Gt, "3", false)]
    [InlineData("/n", FilterOp.Ge, "3", true)]
    [InlineData("/n", FilterOp.Lt, "\"x\"", false)]
    [InlineData("/s", FilterOp.Gt, "\"a\"", true)]
    [InlineData("/s", FilterOp.Lt, "1", false)]
    [InlineData("/u", FilterOp.Gt, "\"z\"", true)]
    [InlineData("/t", FilterOp.Eq, "true", true)]
    [InlineData("/t", FilterOp.Gt, "false", true)]
    [InlineData("/z", FilterOp.Eq, "null", true)]
    [InlineData("/z", FilterOp.Lt, "null", false)]
    [InlineData("/z", FilterOp.Le, "null", false)]
    [InlineData("/missing", FilterOp.Ne, "3", true)]
    [InlineData("/missing", FilterOp.Eq, "null", false)]
    [InlineData("/missing", FilterOp.Lt, "3", false)]
    [InlineData("/o", FilterOp.Ne, "1", true)]
    [InlineData("/o", FilterOp.Eq, "1", false)]
    public void Matches_TypedComparison(string pointer, FilterOp op, string json, bool expected)
    {
        DocumentFilter.TryCreate(new QueryFilter(pointer, op, json), out var filter, out var error).Should().BeTrue(error);
        using var document = JsonDocument.Parse(Document);
        filter!.Matches(document.RootElement).Should().Be(expected);
    }

    [Theory]
    [InlineData("n", FilterOp.Eq, "1")]
    [InlineData("/n", FilterOp.Eq, "open")]
    [InlineData("/n", FilterOp.Eq, "{}")]
    [InlineData("/n", (FilterOp)42, "1")]
    public void TryCreate_BadFilter_Refused(string pointer, FilterOp op, string json) =>
        DocumentFilter.TryCreate(new QueryFilter(pointer, op, json), out _, out _).Should().BeFalse();
}
