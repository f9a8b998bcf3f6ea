using System.Text.Json;
using Actors.Contracts;

namespace Actors.Silo.Tests.Queries;

/// <summary>Lists and index queries against a real silo on a real Redis (DESIGN §8, docs/queries.md).</summary>
public sealed class QueryTests(QuerySiloFixture fixture) : IClassFixture<QuerySiloFixture>
{
    private IClusterClient Grains => fixture.Client.Client;

    [Fact]
    public async Task List_Type_RootIdOrderEveryRootOnceDeletedGone()
    {
        var type = QueryTestExtensions.NewType("list");
        await Grains.PutManyAsync(type, 250, i => $$"""{"i":{{i}}}""");
        await Grains.DeleteAsync(type, QueryTestExtensions.Id(17));
        await Grains.PutAsync(QueryTestExtensions.NewType("other"), QueryTestExtensions.Id(1), "{}");

        var items = await Grains.AllAsync(new RootQuery(type, Limit: 7));
        var expected = Enumerable.Range(0, 250).Where(i => i != 17).Select(i => $"{type}/{QueryTestExtensions.Id(i)}").ToList();
        items.Select(i => i.Root).Should().Equal(expected);
        items.Should().AllSatisfy(i => i.Version.Should().Be(1));

        var descending = await Grains.AllAsync(new RootQuery(type, Descending: true, Limit: 1000));
        descending.Select(i => i.Root).Should().Equal(Enumerable.Reverse(expected));

        var withDocs = await Grains.QueryPageAsync(new RootQuery(type, Limit: 2, IncludeDocuments: true));
        withDocs.Items.Select(i => i.Document).Should().Equal("""{"i":0}""", """{"i":1}""");
        withDocs.Next.Should().NotBeNull();
    }

    [Fact]
    public async Task Index_EachOperatorOrderAndFilter_ReturnsExactlyTheMatchingRoots()
    {
        var type = QueryTestExtensions.NewType("ops");
        var declared = await Grains.GetIndex(type, "n").DeclareAsync("/n");
        declared.Created.Should().BeTrue();
        declared.Index!.State.Should().Be(IndexState.Ready, "a type without roots needs no build");
        (await Grains.GetIndex(type, "n").DeclareAsync("/n")).Created.Should().BeFalse("identical");
        (await Grains.GetIndex(type, "n").DeclareAsync("/m")).Error!.Kind.Should().Be(ActorsErrorKind.IndexConflict);
        await Grains.DeclareReadyAsync(type, "s", "/s");

        // Values: n = -3..36 (numbers; every 10th a string, every 7th absent), s = status strings.
        var values = new Dictionary<string, JsonElement>();
        var documents = new Dictionary<string, string>();
        for (var i = 0; i < 40; i++)
        {
            var n = i % 10 == 9 ? $"\"{i}\"" : i % 7 == 6 ? null : (i - 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var s = new[] { "open", "closed", "opening", "op\u0000en", "\u00e9t\u00e9" }[i % 5];
            var json = n is null ? $$"""{"s":{{JsonSerializer.Serialize(s)}},"i":{{i}}}""" : $$"""{"n":{{n}},"s":{{JsonSerializer.Serialize(s)}},"i":{{i}}}""";
            documents[QueryTestExtensions.Id(i)] = json;
            await Grains.PutAsync(type, QueryTestExtensions.Id(i), json);
        }

        double? N(string id) => JsonDocument.Parse(documents[id]).RootElement.TryGetProperty("n", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        string S(string id) => JsonDocument.Parse(documents[id]).RootElement.GetProperty("s").GetString()!;
        List<string> Ids(List<QueryItem> items) => [.. items.Select(i => i.Root[(type.Length + 1)..])];
        IEnumerable<string> ByN(Func<double, bool> keep) =>
            documents.Keys.Where(id => N(id) is { } n && keep(n)).OrderBy(id => N(id)!.Value).ThenBy(id => id, StringComparer.Ordinal);

        Task<List<QueryItem>> Query(string index, IndexCondition? condition, bool descending = false, int limit = 3, IReadOnlyList<QueryFilter>? filters = null, bool docs = false) =>
            Grains.AllAsync(new RootQuery(type, index, condition, descending, limit, IncludeDocuments: docs, Filters: filters));

        Ids(await Query("n", IndexCondition.Equal("5"))).Should().Equal(ByN(n => n == 5));
        Ids(await Query("n", IndexCondition.Between("5", null))).Should().Equal(ByN(n => n >= 5), "ge never returns the string values");
        Ids(await Query("n", IndexCondition.Between("5", null, lowerInclusive: false))).Should().Equal(ByN(n => n > 5));
        Ids(await Query("n", IndexCondition.Between(null, "5"))).Should().Equal(ByN(n => n <= 5));
        Ids(await Query("n", IndexCondition.Between(null, "5", upperInclusive: false))).Should().Equal(ByN(n => n < 5));
        Ids(await Query("n", IndexCondition.Between("-1.5", "10", upperInclusive: false), limit: 1000)).Should().Equal(ByN(n => n >= -1.5 && n < 10));
        Ids(await Query("n", IndexCondition.Between("5", null), descending: true, limit: 4)).Should().Equal(ByN(n => n >= 5).Reverse());
        Ids(await Query("n", IndexCondition.Equal("\"19\""))).Should().Equal(QueryTestExtensions.Id(19));

        var all = await Query("n", null, limit: 6);
        all.Should().HaveCount(documents.Keys.Count(id => documents[id].Contains("\"n\"", StringComparison.Ordinal)), "absent values are not in the index");

        var prefixed = Ids(await Query("s", IndexCondition.StartsWith("op"), limit: 2));
        prefixed.Should().Equal(documents.Keys.Where(id => S(id).StartsWith("op", StringComparison.Ordinal))
            .OrderBy(id => System.Text.Encoding.UTF8.GetBytes(S(id)), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ThenBy(id => id, StringComparer.Ordinal));
        var last = await Query("s", IndexCondition.Between("\"z\"", null));
        Ids(last).Should().Equal(documents.Keys.Where(id => S(id) == "\u00e9t\u00e9").Order(StringComparer.Ordinal), "é sorts after z by UTF-8 bytes");

        var filtered = await Query("s", IndexCondition.Equal("\"open\""), filters: [new QueryFilter("/n", FilterOp.Gt, "10"), new QueryFilter("/i", FilterOp.Ne, "35")], docs: true, limit: 1);
        Ids(filtered).Should().Equal(documents.Keys.Where(id => S(id) == "open" && N(id) > 10 && id != QueryTestExtensions.Id(35)).Order(StringComparer.Ordinal));
        filtered.Should().AllSatisfy(item => item.Document.Should().Be(documents[item.Root[(type.Length + 1)..]]));
        var docless = await Grains.QueryPageAsync(new RootQuery(type, "s", IndexCondition.Equal("\"open\""), Filters: [new QueryFilter("/n", FilterOp.Gt, "10")]));
        docless.Items.Should().AllSatisfy(item => item.Document.Should().BeNull("documents only with include=doc"));
    }

    [Fact]
    public async Task Index_UpdateAndDelete_EntryMovesAndGoesWithTheAcknowledgement()
    {
        var type = QueryTestExtensions.NewType("move");
        await Grains.DeclareReadyAsync(type, "status", "/status");
        await Grains.PutAsync(type, "a", """{"status":"open"}""");
        await Grains.PutAsync(type, "b", """{"status":"open"}""");

        Task<List<string>> Eq(string value) => Grains.AllAsync(new RootQuery(type, "status", IndexCondition.Equal(value))).ContinueWith(t => t.Result.Select(i => i.Root).ToList(), TaskScheduler.Default);

        (await Eq("\"open\"")).Should().Equal($"{type}/a", $"{type}/b");
        await Grains.PutAsync(type, "a", """{"status":"closed"}""");
        (await Eq("\"open\"")).Should().Equal($"{type}/b");
        (await Eq("\"closed\"")).Should().Equal($"{type}/a");
        var item = (await Grains.AllAsync(new RootQuery(type, "status", IndexCondition.Equal("\"closed\"")))).Single();
        item.Version.Should().Be(2);

        await Grains.PutAsync(type, "b", """{"other":1}""");
        (await Eq("\"open\"")).Should().BeEmpty("a value no longer present leaves the index");
        await Grains.DeleteAsync(type, "a");
        (await Eq("\"closed\"")).Should().BeEmpty("a delete removes the root from every index");
        (await Grains.AllAsync(new RootQuery(type))).Select(i => i.Root).Should().Equal($"{type}/b");

        await Grains.PutAsync(type, "a", """{"status":"open"}""");
        (await Grains.AllAsync(new RootQuery(type, "status", IndexCondition.Equal("\"open\"")))).Single().Version.Should().Be(4, "a re-created root continues its versions");

        var dropped = await Grains.GetIndex(type, "status").DropAsync();
        dropped.Error.Should().BeNull();
        (await Grains.QueryPageAsync(new RootQuery(type, "status"))).Error!.Kind.Should().Be(ActorsErrorKind.UnknownIndex);
        (await Grains.GetIndex(type, "status").GetAsync()).Error!.Kind.Should().Be(ActorsErrorKind.IndexNotFound);
        (await Grains.GetIndex(type, "status").DropAsync()).Error!.Kind.Should().Be(ActorsErrorKind.IndexNotFound);
        await Grains.PutAsync(type, "c", """{"status":"open"}""");
        (await Grains.AllAsync(new RootQuery(type))).Should().HaveCount(3, "writes go on after the drop");

        var redeclared = await Grains.DeclareReadyAsync(type, "status", "/status");
        redeclared.Pointer.Should().Be("/status");
        (await Eq("\"open\"")).Should().Equal($"{type}/a", $"{type}/c");
    }

    [Fact]
    public async Task BadInput_Refused_WithErrorsNamingTheFix()
    {
        var type = QueryTestExtensions.NewType("bad");
        await Grains.DeclareReadyAsync(type, "status", "/status");
        await Grains.DeclareReadyAsync(type, "n", "/n");
        await Grains.PutManyAsync(type, 5, i => $$"""{"status":"open","n":{{i}}}""");

        async Task<ActorsError> Refused(RootQuery query)
        {
            var page = await Grains.QueryPageAsync(query);
            page.Error.Should().NotBeNull("{0} is invalid", query);
            page.Items.Should().BeEmpty();
            return page.Error!;
        }

        var unknown = await Refused(new RootQuery(type, "nope", IndexCondition.Equal("1")));
        unknown.Kind.Should().Be(ActorsErrorKind.UnknownIndex);
        unknown.Message.Should().Contain("n, status");
        (await Refused(new RootQuery(type, Limit: 0))).Kind.Should().Be(ActorsErrorKind.InvalidQuery);
        (await Refused(new RootQuery(type, Limit: 1001))).Message.Should().Contain("1001");
        (await Refused(new RootQuery("Bad Type"))).Kind.Should().Be(ActorsErrorKind.InvalidQuery);
        (await Refused(new RootQuery(type, "n", new IndexCondition(Eq: "1", Lower: "0")))).Message.Should().Contain("eq");
        (await Refused(new RootQuery(type, "n", IndexCondition.Equal("open")))).Message.Should().Contain("not valid JSON");
        (await Refused(new RootQuery(type, "n", IndexCondition.Between("1", "\"z\"")))).Message.Should().Contain("different JSON types");
        (await Refused(new RootQuery(type, Condition: IndexCondition.Equal("1")))).Message.Should().Contain("needs an index");
        (await Refused(new RootQuery(type, Filters: [new QueryFilter("status", FilterOp.Eq, "1")]))).Message.Should().Contain("JSON Pointer");

        var query = new RootQuery(type, "n", IndexCondition.Between("0", null), Limit: 2);
        var next = (await Grains.QueryPageAsync(query)).Next!;
        (await Grains.QueryPageAsync(query.ContinueAfter(next))).Error.Should().BeNull();
        var tampered = next[..^2] + (next[^2] == 'A' ? 'B' : 'A') + next[^1];
        (await Refused(query.ContinueAfter(tampered))).Message.Should().Contain("token");
        (await Refused(query with { After = next, Descending = true })).Kind.Should().Be(ActorsErrorKind.InvalidQuery, "a token of another query");
        (await Refused(new RootQuery(type, "status", After: next))).Kind.Should().Be(ActorsErrorKind.InvalidQuery);

        (await Grains.GetIndex(type, "Bad").DeclareAsync("/x")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidIndex);
        (await Grains.GetIndex(type, "x").DeclareAsync("x")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidIndex);
        (await Grains.GetIndex(type, "x").DeclareAsync("/a~2")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidIndex);
        (await Grains.GetIndex(type, "x").DeclareAsync("")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidIndex);

        var list = await Grains.GetGrain<IRootQueryGrain>(0).ListIndexesAsync(type);
        list.Indexes.Select(i => (i.Name, i.Pointer, i.State)).Should().Equal(("n", "/n", IndexState.Ready), ("status", "/status", IndexState.Ready));
    }
}
