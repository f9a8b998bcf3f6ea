using Actors.Contracts;
using Actors.Gateway.Problems;

namespace Actors.Gateway.Tests;

/// <summary>The problem type catalogue: stable, unique, and complete for every error kind of the store.</summary>
public sealed class ProblemTypesUnitTests
{
    [Fact]
    public void All_Types_HaveUniqueNamesUnderOneBase()
    {
        ProblemTypes.All.Select(type => type.Name).Should().OnlyHaveUniqueItems();
        ProblemTypes.All.Should().OnlyContain(type => type.Uri.StartsWith("https://actors.dev/problems/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ActorsErrorKind.InvalidRootId, 400)]
    [InlineData(ActorsErrorKind.InvalidJson, 400)]
    [InlineData(ActorsErrorKind.InvalidPointer, 400)]
    [InlineData(ActorsErrorKind.InvalidPatch, 400)]
    [InlineData(ActorsErrorKind.InvalidWriteId, 400)]
    [InlineData(ActorsErrorKind.NotAnObject, 400)]
    [InlineData(ActorsErrorKind.TooDeep, 400)]
    [InlineData(ActorsErrorKind.InvalidCommand, 400)]
    [InlineData(ActorsErrorKind.RootNotFound, 404)]
    [InlineData(ActorsErrorKind.PointerNotFound, 404)]
    [InlineData(ActorsErrorKind.PatchFailed, 409)]
    [InlineData(ActorsErrorKind.VersionConflict, 412)]
    [InlineData(ActorsErrorKind.TooLarge, 413)]
    [InlineData(ActorsErrorKind.WriteIdReused, 422)]
    [InlineData(ActorsErrorKind.Unavailable, 503)]
    public void For_EveryErrorKind_MapsToDesignStatus(ActorsErrorKind kind, int status)
    {
        ProblemTypes.For(kind).Status.Should().Be(status);
    }

    [Fact]
    public void For_EveryDefinedKind_IsNotInternalError()
    {
        Enum.GetValues<ActorsErrorKind>().Select(ProblemTypes.For).Should().NotContain(ProblemTypes.InternalError);
    }

    [Fact]
    public void For_RootAndPointerNotFound_HaveDifferentTypes()
    {
        ProblemTypes.For(ActorsErrorKind.RootNotFound).Should().NotBe(ProblemTypes.For(ActorsErrorKind.PointerNotFound));
    }
}
