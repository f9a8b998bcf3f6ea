using Actors.Contracts;

namespace Actors.Silo.Tests.Grains;

public sealed class RootGrainTests(RootGrainClusterFixture fixture) : IClassFixture<RootGrainClusterFixture>
{
    private static RootId NewRoot() => RootId.Create("test", Guid.NewGuid().ToString("N"));

    private IRootGrain Grain(RootId root) => fixture.Grains.GetRoot(root);

    private static string Id() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task GetRoot_IsTheSameGrainAsGetGrainByKey()
    {
        var root = NewRoot();
        var byKey = fixture.Grains.GetGrain<IRootGrain>(root.ToString());
        var byRoot = Grain(root);

        byRoot.GetGrainId().Should().Be(byKey.GetGrainId());
        ((GrainReference)(object)byRoot).InterfaceType.Should().Be(((GrainReference)(object)byKey).InterfaceType);
        await byKey.WriteAsync(WriteCommand.Put(Id(), """{"a":1}"""));
        (await byRoot.ReadAsync()).Json.Should().Be("""{"a":1}""");
        Grain(NewRoot()).GetGrainId().Should().NotBe(byRoot.GetGrainId());
    }

    [Fact]
    public async Task Write_EveryOp_AppliesWithRisingVersions()
    {
        var root = NewRoot();
        var grain = Grain(root);

        var put = await grain.WriteAsync(WriteCommand.Put(Id(), """{"title":"Hi","tags":["a"]}"""));
        put.Should().BeEquivalentTo(new WriteResult(root.ToString(), 1, Duplicate: false, Created: true));
        var merge = await grain.WriteAsync(WriteCommand.Merge(Id(), """{"title":"Hello","draft":null,"n":1}"""));
        merge.Should().BeEquivalentTo(new WriteResult(root.ToString(), 2));
        var patch = await grain.WriteAsync(WriteCommand.Patch(Id(), """[{"op":"add","path":"/tags/-","value":"b"}]"""));
        patch.Version.Should().Be(3);

        var read = await grain.ReadAsync();
        read.Should().BeEquivalentTo(new ReadResult(root.ToString(), 3, """{"title":"Hello","tags":["a","b"],"n":1}"""));

        var delete = await grain.WriteAsync(WriteCommand.Delete(Id()));
        delete.Should().BeEquivalentTo(new WriteResult(root.ToString(), 4, Deleted: true));
        (await grain.ReadAsync()).Error!.Kind.Should().Be(ActorsErrorKind.RootNotFound);
    }

    [Fact]
    public async Task Write_MergeAndPatchOnAbsentRoot_StartFromEmptyObject()
    {
        var merged = Grain(NewRoot());
        (await merged.WriteAsync(WriteCommand.Merge(Id(), """{"a":1,"b":null}"""))).Created.Should().BeTrue();
        (await merged.ReadAsync()).Json.Should().Be("""{"a":1}""");

        var patched = Grain(NewRoot());
        (await patched.WriteAsync(WriteCommand.Patch(Id(), """[{"op":"add","path":"/x","value":[1]}]"""))).Version.Should().Be(1);
        (await patched.ReadAsync()).Json.Should().Be("""{"x":[1]}""");
    }

    [Fact]
    public async Task Delete_AbsentRoot_IsNotFoundAndChangesNothing()
    {
        var grain = Grain(NewRoot());
        var result = await grain.WriteAsync(WriteCommand.Delete(Id()));
        result.Error!.Kind.Should().Be(ActorsErrorKind.RootNotFound);
        result.Version.Should().Be(0);
    }

    [Fact]
    public async Task Put_AfterDelete_ContinuesVersionFromTombstone()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"v":1}"""));
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"v":2}"""));
        (await grain.WriteAsync(WriteCommand.Delete(Id()))).Version.Should().Be(3);

        var read = await grain.ReadAsync();
        read.Version.Should().Be(3, "the tombstone keeps the version");
        var recreated = await grain.WriteAsync(WriteCommand.Put(Id(), """{"v":3}"""));
        recreated.Should().BeEquivalentTo(new WriteResult(recreated.Root, 4, Created: true));
    }

    [Fact]
    public async Task Write_IfVersionMismatch_IsConflictCarryingCurrentVersion()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"a":1}"""));
        await grain.WriteAsync(WriteCommand.Merge(Id(), """{"a":2}"""));

        var stale = await grain.WriteAsync(WriteCommand.Merge(Id(), """{"a":3}""", ifVersion: 1));
        stale.Error.Should().BeEquivalentTo(new { Kind = ActorsErrorKind.VersionConflict, CurrentVersion = 2L });
        var fresh = await grain.WriteAsync(WriteCommand.Merge(Id(), """{"a":3}""", ifVersion: 2));
        fresh.Version.Should().Be(3);
        (await grain.ReadAsync()).Json.Should().Be("""{"a":3}""");
    }

    [Fact]
    public async Task Write_SameWriteIdTwice_AppliesOnceAndFlagsDuplicate()
    {
        var grain = Grain(NewRoot());
        var id = Id();
        var first = await grain.WriteAsync(WriteCommand.Patch(id, """[{"op":"add","path":"/n","value":1}]"""));
        // Same command, differently formatted: still the same write.
        var second = await grain.WriteAsync(WriteCommand.Patch(id, """[ { "op" : "add", "path" : "/n", "value" : 1 } ]"""));

        first.Should().BeEquivalentTo(new WriteResult(first.Root, 1, Duplicate: false, Created: true));
        second.Should().BeEquivalentTo(first with { Duplicate = true });
        (await grain.ReadAsync()).Version.Should().Be(1);
    }

    [Fact]
    public async Task Write_RetriedConditionalWrite_IsDuplicateNotConflict()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), "{}"));
        var command = WriteCommand.Merge(Id(), """{"x":1}""", ifVersion: 1);
        (await grain.WriteAsync(command)).Version.Should().Be(2);

        var retry = await grain.WriteAsync(command);
        retry.Error.Should().BeNull();
        retry.Duplicate.Should().BeTrue();
        retry.Version.Should().Be(2);
    }

    [Fact]
    public async Task Write_SameWriteIdDifferentCommand_IsRefusedAsReused()
    {
        var grain = Grain(NewRoot());
        var id = Id();
        await grain.WriteAsync(WriteCommand.Put(id, """{"a":1}"""));

        (await grain.WriteAsync(WriteCommand.Put(id, """{"a":2}"""))).Error!.Kind.Should().Be(ActorsErrorKind.WriteIdReused);
        (await grain.WriteAsync(WriteCommand.Merge(id, """{"a":1}"""))).Error!.Kind.Should().Be(ActorsErrorKind.WriteIdReused);
        (await grain.WriteAsync(WriteCommand.Put(id, """{"a":1}""", ifVersion: 0))).Error!.Kind.Should().Be(ActorsErrorKind.WriteIdReused);
        (await grain.ReadAsync()).Should().BeEquivalentTo(new { Version = 1L, Json = """{"a":1}""" });
    }

    [Fact]
    public async Task Write_LateRetryToAHotRoot_IsStillADuplicateWithinTheMinimumRetention()
    {
        // 1,200 writes in a few seconds: the first is beyond the 1,000 remembered by count (the default
        // Actors:Roots:WriteIdMemory) but younger than the 10 minutes of WriteIdMinRetention, so its retry must not
        // apply again. Eviction by count once writes are old is covered by WriteMemoryUnitTests with a clock.
        var grain = Grain(NewRoot());
        const int Writes = 1200;
        var first = WriteCommand.Patch("w-0", """[{"op":"add","path":"/n","value":0}]""");
        await grain.WriteAsync(first);
        for (var i = 1; i < Writes; i++)
        {
            await grain.WriteAsync(WriteCommand.Patch($"w-{i}", $$"""[{"op":"replace","path":"/n","value":{{i}}}]"""));
        }

        var retried = await grain.WriteAsync(first);

        retried.Duplicate.Should().BeTrue("w-0 is 1,199 writes old but only seconds old");
        retried.Version.Should().Be(1);
        (await grain.ReadAsync()).Version.Should().Be(Writes, "the retry changed nothing");
    }

    [Theory]
    [InlineData("put", "[1,2]", ActorsErrorKind.NotAnObject)]
    [InlineData("put", "\"text\"", ActorsErrorKind.NotAnObject)]
    [InlineData("merge", "42", ActorsErrorKind.NotAnObject)]
    [InlineData("put", "{\"a\":", ActorsErrorKind.InvalidJson)]
    [InlineData("patch", "{\"op\":\"add\"}", ActorsErrorKind.InvalidPatch)]
    [InlineData("patch", "[{\"op\":\"jump\",\"path\":\"/a\"}]", ActorsErrorKind.InvalidPatch)]
    [InlineData("patch", "[{\"op\":\"remove\",\"path\":\"/missing\"}]", ActorsErrorKind.PatchFailed)]
    [InlineData("patch", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]", ActorsErrorKind.PatchFailed)]
    [InlineData("patch", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[]}]", ActorsErrorKind.NotAnObject)]
    public async Task Write_BadBody_IsRefusedAndChangesNothing(string op, string json, ActorsErrorKind expected)
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"a":1}"""));
        WriteOps.TryParse(op, out var writeOp).Should().BeTrue();

        var result = await grain.WriteAsync(new WriteCommand(writeOp!.Value, Id(), json));

        result.Error!.Kind.Should().Be(expected);
        result.Error.Message.Should().NotBeNullOrWhiteSpace();
        (await grain.ReadAsync()).Should().BeEquivalentTo(new { Version = 1L, Json = """{"a":1}""" });
    }

    [Fact]
    public async Task Write_AtomicPatchWithOneFailingOp_AppliesNone()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"a":1}"""));
        var result = await grain.WriteAsync(WriteCommand.Patch(Id(), """[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zzz"}]"""));
        result.Error!.Kind.Should().Be(ActorsErrorKind.PatchFailed);
        (await grain.ReadAsync()).Json.Should().Be("""{"a":1}""");
    }

    [Fact]
    public async Task Write_DocumentOverOneMebibyte_IsTooLarge()
    {
        var grain = Grain(NewRoot());
        var fits = $$"""{"s":"{{new string('x', 1024 * 1024 - 8)}}"}""";
        fits.Length.Should().Be(1024 * 1024);
        (await grain.WriteAsync(WriteCommand.Put(Id(), fits))).Error.Should().BeNull();

        var tooBig = await grain.WriteAsync(WriteCommand.Merge(Id(), """{"t":1}"""));
        tooBig.Error!.Kind.Should().Be(ActorsErrorKind.TooLarge);
        (await grain.ReadAsync()).Version.Should().Be(1);
    }

    [Fact]
    public async Task Write_DeeperThan64Levels_IsTooDeep()
    {
        var grain = Grain(NewRoot());
        static string Nest(int levels) => levels == 1 ? "{}" : $$"""{"a":{{Nest(levels - 1)}}}""";
        (await grain.WriteAsync(WriteCommand.Put(Id(), Nest(64)))).Error.Should().BeNull();
        (await grain.WriteAsync(WriteCommand.Put(Id(), Nest(65)))).Error!.Kind.Should().Be(ActorsErrorKind.TooDeep);
        var hostile = string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000));
        (await grain.WriteAsync(WriteCommand.Put(Id(), hostile))).Error!.Kind.Should().BeOneOf(ActorsErrorKind.TooDeep, ActorsErrorKind.InvalidJson);
        (await grain.ReadAsync()).Version.Should().Be(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Write_WithoutWriteId_IsRefused(string? writeId)
    {
        var result = await Grain(NewRoot()).WriteAsync(new WriteCommand(WriteOp.Put, writeId!, "{}"));
        result.Error!.Kind.Should().Be(ActorsErrorKind.InvalidWriteId);
    }

    [Fact]
    public async Task Write_DeleteWithBody_IsRefused()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), "{}"));
        (await grain.WriteAsync(new WriteCommand(WriteOp.Delete, Id(), "{}"))).Error!.Kind.Should().Be(ActorsErrorKind.InvalidCommand);
    }

    [Fact]
    public async Task Read_Pointer_ReturnsSubtreeOrTypedError()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"replies":[{"body":"first"},{"body":"second"}],"a/b":{"m~n":true}}"""));

        (await grain.ReadAsync("/replies/1/body")).Json.Should().Be("\"second\"");
        (await grain.ReadAsync("/replies/0")).Json.Should().Be("""{"body":"first"}""");
        (await grain.ReadAsync("/a~1b/m~0n")).Json.Should().Be("true");
        (await grain.ReadAsync("")).Json.Should().StartWith("{\"replies\"");
        (await grain.ReadAsync("/replies/5")).Error!.Kind.Should().Be(ActorsErrorKind.PointerNotFound);
        (await grain.ReadAsync("/replies/01")).Error!.Kind.Should().Be(ActorsErrorKind.PointerNotFound);
        (await grain.ReadAsync("/replies/-")).Error!.Kind.Should().Be(ActorsErrorKind.PointerNotFound);
        (await grain.ReadAsync("replies")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidPointer);
        (await grain.ReadAsync("/a~2b")).Error!.Kind.Should().Be(ActorsErrorKind.InvalidPointer);
    }

    [Fact]
    public async Task Write_WhenStorageFails_IsNotAcknowledgedAndRetryAppliesOnce()
    {
        var grain = Grain(NewRoot());
        await grain.WriteAsync(WriteCommand.Put(Id(), """{"n":1}"""));
        var command = WriteCommand.Merge(Id(), """{"n":2}""");

        fixture.Storage.FailWrites = true;
        WriteResult failed;
        try
        {
            failed = await grain.WriteAsync(command);
        }
        finally
        {
            fixture.Storage.FailWrites = false;
        }
        failed.Error!.Kind.Should().Be(ActorsErrorKind.Unavailable);
        (await grain.ReadAsync()).Should().BeEquivalentTo(new { Version = 1L, Json = """{"n":1}""" }, "memory must not run ahead of storage");

        var retried = await grain.WriteAsync(command);
        retried.Should().BeEquivalentTo(new WriteResult(retried.Root, 2));
        (await grain.WriteAsync(command)).Duplicate.Should().BeTrue();
        (await grain.ReadAsync()).Json.Should().Be("""{"n":2}""");
    }

    [Fact]
    public async Task GetLocation_ReturnsHostingSilo()
    {
        var location = await Grain(NewRoot()).GetLocationAsync();
        location.SiloName.Should().NotBeNullOrEmpty();
        location.SiloAddress.Should().Contain("127.0.0.1");
    }
}
