using Actors.Contracts;

namespace Actors.Silo.Tests.Contracts;

public sealed class RootIdUnitTests
{
    [Theory]
    [InlineData("topic/42", "topic", "42")]
    [InlineData("a/b", "a", "b")]
    [InlineData("user_profile-2/Ab.c_d~e-f", "user_profile-2", "Ab.c_d~e-f")]
    [InlineData("t/...", "t", "...")]
    public void TryParse_ValidId_SplitsTypeAndId(string text, string type, string id)
    {
        RootId.TryParse(text, out var root, out var error).Should().BeTrue(error);
        root.Type.Should().Be(type);
        root.Id.Should().Be(id);
        root.ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("topic", "no '/'")]
    [InlineData("/42", "type is empty")]
    [InlineData("topic/", "after '/' is empty")]
    [InlineData("Topic/42", "lowercase letter")]
    [InlineData("1topic/42", "lowercase letter")]
    [InlineData("to.pic/42", "contains '.'")]
    [InlineData("topic/4 2", "contains 'U+0020'")]
    [InlineData("topic/4/2", "contains '/'")]
    [InlineData("topic/.", "cannot travel in a URL path")]
    [InlineData("topic/..", "cannot travel in a URL path")]
    [InlineData("topic/é", "contains 'é'")]
    public void TryParse_InvalidId_NamesTheRule(string text, string rule)
    {
        RootId.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(rule);
    }

    [Fact]
    public void Create_OverlongParts_AreRefused()
    {
        var act = () => RootId.Create(new string('a', 65), "1");
        act.Should().Throw<ActorsException>().Which.Kind.Should().Be(ActorsErrorKind.InvalidRootId);
        RootId.Create(new string('a', 64), new string('x', 200)).Id.Length.Should().Be(200);
        var tooLongId = () => RootId.Create("a", new string('x', 201));
        tooLongId.Should().Throw<ActorsException>().WithMessage("*at most 200*");
    }

    [Fact]
    public void RedisConnection_Redact_RemovesPassword()
    {
        Actors.Contracts.Hosting.RedisConnection.Redact("redis:6379,password=s3cret,ssl=true")
            .Should().Be("redis:6379,password=***,ssl=true");
    }
}
