using Actors.Contracts;

namespace Actors.Silo.Tests.Contracts;

public sealed class RootQueryParserUnitTests
{
    private static KeyValuePair<string, string>[] Params(params string[] pairs) =>
        [.. pairs.Select(pair => pair.Split('=', 2)).Select(parts => KeyValuePair.Create(parts[0], parts[1]))];

    private static RootQuery Parse(params string[] pairs)
    {
        RootQueryParser.TryParse("topic", Params(pairs), out var query, out var error).Should().BeTrue(error?.Message);
        return query;
    }

    private static string Refuse(params string[] pairs)
    {
        RootQueryParser.TryParse("topic", Params(pairs), out _, out var error).Should().BeFalse();
        error!.Kind.Should().Be(ActorsErrorKind.InvalidQuery);
        return error.Message;
    }

    [Fact]
    public void NoParameters_ListsTheTypeWithDefaults()
    {
        var query = Parse();

        query.Should().Be(new RootQuery("topic"));
        query.Limit.Should().Be(100);
        query.Index.Should().BeNull();
        query.Condition.Should().BeNull();
    }

    [Fact]
    public void EveryParameter_IsRead()
    {
        var query = Parse("index=status", "eq=\"open\"", "order=desc", "limit=1000", "after=tok", "include=doc", "filter=/n,gt,3", "filter=/a,ne,\"x,y\"");

        query.Index.Should().Be("status");
        query.Condition.Should().Be(IndexCondition.Equal("\"open\""));
        query.Descending.Should().BeTrue();
        query.Limit.Should().Be(1000);
        query.After.Should().Be("tok");
        query.IncludeDocuments.Should().BeTrue();
        query.Filters.Should().Equal(new QueryFilter("/n", FilterOp.Gt, "3"), new QueryFilter("/a", FilterOp.Ne, "\"x,y\""));
    }

    [Theory]
    [InlineData("ge", "3", "lt", "10", true, false)]
    [InlineData("gt", "\"a\"", "le", "\"m\"", false, true)]
    public void Range_KeepsInclusiveness(string lowerOp, string lower, string upperOp, string upper, bool lowerInclusive, bool upperInclusive)
    {
        var query = Parse("index=n", $"{lowerOp}={lower}", $"{upperOp}={upper}");

        query.Condition.Should().Be(IndexCondition.Between(lower, upper, lowerInclusive, upperInclusive));
    }

    [Fact]
    public void OneBound_IsARange()
    {
        Parse("index=n", "ge=-1.5e3").Condition.Should().Be(new IndexCondition(Lower: "-1.5e3"));
        Parse("index=n", "lt=true").Condition.Should().Be(new IndexCondition(Upper: "true", UpperInclusive: false));
    }

    [Fact]
    public void Prefix_IsTakenAsText()
    {
        Parse("index=title", "prefix=Hel").Condition.Should().Be(IndexCondition.StartsWith("Hel"));
    }

    [Theory]
    [InlineData("limit=0", "from 1 to 1000")]
    [InlineData("limit=1001", "from 1 to 1000")]
    [InlineData("limit=-5", "from 1 to 1000")]
    [InlineData("limit=ten", "from 1 to 1000")]
    [InlineData("order=up", "asc or desc")]
    [InlineData("include=docs", "the only value is doc")]
    [InlineData("eq=\"open\"", "add index=<name>")]
    [InlineData("colour=red", "unknown parameter 'colour'")]
    [InlineData("after=", "'next' token")]
    [InlineData("filter=/n;gt;3", "<pointer>,<op>,<json>")]
    [InlineData("filter=n,gt,3", "start with '/'")]
    [InlineData("filter=/n,gt,{\"a\":1}", "JSON object")]
    [InlineData("filter=/n,gt,three", "not a JSON literal")]
    [InlineData("index=Status", "lowercase letter")]
    public void BadParameter_IsRefusedNamingTheFix(string parameter, string fix)
    {
        Refuse(parameter).Should().Contain(fix);
    }

    [Theory]
    [InlineData("eq=open", "not a JSON literal")]
    [InlineData("eq='open'", "not a JSON literal")]
    [InlineData("eq=[1]", "JSON array")]
    [InlineData("eq=null", "JSON null")]
    [InlineData("eq={}", "JSON object")]
    [InlineData("ge=1,2", "not a JSON literal")]
    public void MalformedValue_IsRefused(string parameter, string fix)
    {
        Refuse("index=n", parameter).Should().Contain(fix);
    }

    [Theory]
    [InlineData("eq=1", "ge=0")]
    [InlineData("eq=1", "prefix=a")]
    [InlineData("prefix=a", "lt=\"b\"")]
    public void TwoForms_AreRefused(string first, string second)
    {
        Refuse("index=n", first, second).Should().Contain("not several");
    }

    [Theory]
    [InlineData("ge=1", "gt=2", "one lower bound")]
    [InlineData("le=1", "lt=2", "one upper bound")]
    [InlineData("ge=1", "lt=\"z\"", "different JSON types")]
    [InlineData("limit=5", "limit=6", "more than once")]
    public void BadCombination_IsRefused(string first, string second, string fix)
    {
        Refuse("index=n", first, second).Should().Contain(fix);
    }

    [Fact]
    public void InvalidType_IsAnInvalidRootId()
    {
        RootQueryParser.TryParse("Topic", [], out _, out var error).Should().BeFalse();

        error!.Kind.Should().Be(ActorsErrorKind.InvalidRootId);
    }

    [Fact]
    public void TooManyFilters_AreRefused()
    {
        var filters = Enumerable.Range(0, RootQueryParser.MaxFilters + 1).Select(i => $"filter=/f{i},eq,1").ToArray();

        Refuse(filters).Should().Contain($"at most {RootQueryParser.MaxFilters} filters");
    }

    [Fact]
    public void Filter_PointerEndsAtTheFirstOp_SoValuesMayHoldCommas()
    {
        RootQueryParser.TryParseFilter("/tags/0,eq,\"a,ne,b\"", out var filter, out var error).Should().BeTrue(error?.Message);

        filter.Should().Be(new QueryFilter("/tags/0", FilterOp.Eq, "\"a,ne,b\""));
    }

    [Fact]
    public void Filter_OnTheWholeDocument_HasAnEmptyPointer()
    {
        RootQueryParser.TryParseFilter(",ne,null", out var filter, out _).Should().BeTrue();

        filter.Should().Be(new QueryFilter("", FilterOp.Ne, "null"));
    }
}
