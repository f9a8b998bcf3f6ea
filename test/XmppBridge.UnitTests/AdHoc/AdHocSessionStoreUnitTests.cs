using Actors.XmppBridge.Client.AdHoc;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.AdHoc;

/// <summary>Ad-hoc command sessions: owned by one full JID, expiring when unused, capped per requester and in all.</summary>
public sealed class AdHocSessionStoreUnitTests
{
    private static readonly Jid Alice = Jid.Parse("alice@example.org/phone");
    private static readonly Jid AliceLaptop = Jid.Parse("alice@example.org/laptop");
    private static readonly Jid Bob = Jid.Parse("bob@example.org/desk");

    [Fact]
    public void Open_ThenFind_BySameRequesterOnly()
    {
        var store = new AdHocSessionStore(TimeSpan.FromMinutes(10), 4, 16);
        var session = store.Open(Alice, "grow", [], out var error)!;

        error.Should().BeNull();
        session.Id.Should().StartWith("grow:").And.HaveLength("grow:".Length + 32);
        store.Find(Alice, session.Id).Should().BeSameAs(session);
        store.Find(AliceLaptop, session.Id).Should().BeNull("another resource of the same account is another requester");
        store.Find(Bob, session.Id).Should().BeNull();
    }

    [Fact]
    public void Close_EndsTheSession()
    {
        var store = new AdHocSessionStore(TimeSpan.FromMinutes(10), 4, 16);
        var session = store.Open(Alice, "grow", [], out _)!;

        store.Close(session).Should().BeTrue();
        store.Find(Alice, session.Id).Should().BeNull();
        store.Close(session).Should().BeFalse();
    }

    [Fact]
    public void Find_AfterLifetimeUnused_IsGone_ButUseKeepsItAlive()
    {
        var time = new ManualTime();
        var store = new AdHocSessionStore(TimeSpan.FromMinutes(10), 4, 16, time);
        var used = store.Open(Alice, "grow", [], out _)!;
        var unused = store.Open(Alice, "restart", [], out _)!;

        time.Advance(TimeSpan.FromMinutes(6));
        store.Find(Alice, used.Id).Should().NotBeNull();
        time.Advance(TimeSpan.FromMinutes(6));

        store.Find(Alice, unused.Id).Should().BeNull("it was not used for 12 minutes");
        store.Find(Alice, used.Id).Should().NotBeNull("it was used 6 minutes ago");
        store.Count.Should().Be(1);
    }

    [Fact]
    public void Open_OverTheCapPerRequester_IsRefused_OthersStillMayOpen()
    {
        var store = new AdHocSessionStore(TimeSpan.FromMinutes(10), 2, 16);
        store.Open(Alice, "a", [], out _).Should().NotBeNull();
        store.Open(Alice, "b", [], out _).Should().NotBeNull();

        store.Open(Alice, "c", [], out var error).Should().BeNull();
        error.Should().Be("You have 2 command sessions open here, the most allowed; complete or cancel one (an unused one ends after 10 min).");
        store.Open(Bob, "c", [], out _).Should().NotBeNull();
    }

    [Fact]
    public void Open_OverTheTotalCap_IsRefused_UntilOneExpires()
    {
        var time = new ManualTime();
        var store = new AdHocSessionStore(TimeSpan.FromMinutes(1), 1, 2, time);
        store.Open(Alice, "a", [], out _).Should().NotBeNull();
        store.Open(Bob, "a", [], out _).Should().NotBeNull();

        store.Open(AliceLaptop, "a", [], out var error).Should().BeNull();
        error.Should().StartWith("2 command sessions are open here, the most allowed");
        time.Advance(TimeSpan.FromMinutes(2));
        store.Open(AliceLaptop, "a", [], out _).Should().NotBeNull();
    }

    [Fact]
    public void NewId_IsUniqueEachTime()
    {
        Enumerable.Range(0, 1000).Select(_ => AdHocSessionStore.NewId("x")).Distinct().Should().HaveCount(1000);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
