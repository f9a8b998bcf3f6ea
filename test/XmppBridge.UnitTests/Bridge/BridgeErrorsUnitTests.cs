using Actors.Contracts;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>The XMPP half of the one error vocabulary: every error kind has its own condition, none falls back.</summary>
public sealed class BridgeErrorsUnitTests
{
    public static TheoryData<ActorsErrorKind> EveryKind => [.. Enum.GetValues<ActorsErrorKind>()];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void ConditionFor_EveryKind_IsDeclaredNotAFallback(ActorsErrorKind kind)
    {
        BridgeErrors.ConditionFor(kind).Should().NotBeNull($"{kind} must map to a stanza error of the design's table");
        var error = BridgeErrors.From(new ActorsError(kind, "what to fix", CurrentVersion: 5));
        error.Condition.Should().NotBe("internal-server-error");
        error.Text.Should().Be("what to fix");
    }

    [Theory]
    [InlineData(ActorsErrorKind.InvalidRootId, StanzaErrorType.Modify, "bad-request", null)]
    [InlineData(ActorsErrorKind.PatchFailed, StanzaErrorType.Modify, "bad-request", "patch-failed")]
    [InlineData(ActorsErrorKind.VersionConflict, StanzaErrorType.Cancel, "conflict", "version-mismatch")]
    [InlineData(ActorsErrorKind.WriteIdReused, StanzaErrorType.Cancel, "conflict", "write-id-reused")]
    [InlineData(ActorsErrorKind.RootNotFound, StanzaErrorType.Cancel, "item-not-found", null)]
    [InlineData(ActorsErrorKind.TooLarge, StanzaErrorType.Modify, "not-acceptable", null)]
    [InlineData(ActorsErrorKind.Unavailable, StanzaErrorType.Wait, "service-unavailable", null)]
    public void From_DesignTable(ActorsErrorKind kind, StanzaErrorType type, string condition, string? application)
    {
        var error = BridgeErrors.From(new ActorsError(kind, "m", CurrentVersion: 5));

        (error.Type, error.Condition, error.ApplicationCondition?.Name.LocalName).Should().Be((type, condition, application));
        if (kind == ActorsErrorKind.VersionConflict)
        {
            ((string?)error.ApplicationCondition!.Attribute("current")).Should().Be("5");
        }
    }

    [Fact]
    public void From_KindNewerThanThisBridge_InternalErrorKeepingTheText()
    {
        var error = BridgeErrors.From(new ActorsError((ActorsErrorKind)999, "from a newer silo"));

        (error.Condition, error.Text).Should().Be(("internal-server-error", "from a newer silo"));
    }
}
