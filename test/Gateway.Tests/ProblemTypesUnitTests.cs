using Actors.Contracts;
using Actors.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Actors.Gateway.Tests;

/// <summary>The problem type catalogue: stable, unique, and complete for every error kind of the store.</summary>
public sealed class ProblemTypesUnitTests
{
    /// <summary>
    /// Error kinds that deliberately share a problem type with another kind, each with the reason. Empty today: every
    /// kind has a type of its own. Add an entry (and a line in docs/http-api.md) only for a merge that is meant.
    /// </summary>
    private static readonly IReadOnlyDictionary<ActorsErrorKind, string> IntentionallyShared = new Dictionary<ActorsErrorKind, string>();

    [Fact]
    public void All_Types_HaveUniqueNamesUnderOneBase()
    {
        ProblemTypes.All.Select(type => type.Name).Should().OnlyHaveUniqueItems();
        ProblemTypes.All.Should().OnlyContain(type => type.Uri.StartsWith("https://actors.dev/problems/", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_EveryDefinedKind_MapsToOneListedTypeThatIsNotInternalError()
    {
        foreach (var kind in Enum.GetValues<ActorsErrorKind>())
        {
            var type = ProblemTypes.Find(kind);

            type.Should().NotBeNull($"{kind} needs a line in {nameof(ProblemTypes)}.{nameof(ProblemTypes.Find)}");
            ProblemTypes.All.Should().Contain(type!, $"{kind} maps to '{type!.Name}', which must be listed in {nameof(ProblemTypes)}.{nameof(ProblemTypes.All)}");
            type.Should().NotBe(ProblemTypes.InternalError, $"{kind} is an error the store reports on purpose, not a gateway bug");
        }
    }

    [Fact]
    public void Find_DefinedKinds_DoNotShareATypeUnlessIntended()
    {
        var shared = Enum.GetValues<ActorsErrorKind>()
            .Where(kind => !IntentionallyShared.ContainsKey(kind))
            .GroupBy(kind => ProblemTypes.Find(kind)!.Name)
            .Where(group => group.Count() > 1)
            .Select(group => $"{string.Join(", ", group)} → {group.Key}");

        shared.Should().BeEmpty("a client tells errors apart by type; two kinds on one type must be listed in {0}", nameof(IntentionallyShared));
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
    public void Find_EveryErrorKind_MapsToDesignStatus(ActorsErrorKind kind, int status)
    {
        ProblemTypes.Find(kind)!.Status.Should().Be(status);
    }

    [Fact]
    public void Find_KindFromNewerSilo_IsNull()
    {
        ProblemTypes.Find((ActorsErrorKind)999).Should().BeNull();
    }

    [Fact]
    public void Describe_KindFromNewerSilo_IsInternalErrorLoggedWithTheKind()
    {
        var logs = new ListLoggerProvider();
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs)).BuildServiceProvider(),
        };

        var (type, detail) = ProblemResults.Describe(context, new ActorsError((ActorsErrorKind)999, "Something new."));

        type.Should().Be(ProblemTypes.InternalError);
        detail.Should().Contain("999").And.Contain("Something new.");
        logs.Messages.Should().ContainSingle(message => message.Contains("999", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_RootAndPointerNotFound_HaveDifferentTypes()
    {
        ProblemTypes.Find(ActorsErrorKind.RootNotFound).Should().NotBe(ProblemTypes.Find(ActorsErrorKind.PointerNotFound));
    }

    private sealed class ListLoggerProvider : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
