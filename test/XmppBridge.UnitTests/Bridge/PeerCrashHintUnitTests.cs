using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>
/// The crash hint (issue 5) never declares a live silo dead: a peer whose silo port accepts stays Active whatever
/// XMPP says; only a refused connection leads to TryKill.
/// </summary>
public sealed class PeerCrashHintUnitTests
{
    private static readonly Jid Account = Jid.Parse("silo@localhost");
    private static readonly SiloAddress Self = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1);

    [Fact]
    public async Task UnavailablePeer_ThatAcceptsConnections_IsNeverKilled()
    {
        using var live = new TcpListener(IPAddress.Loopback, 0);
        live.Start();
        var peer = SiloAddress.New((IPEndPoint)live.LocalEndpoint, 7);
        var membership = new FakeMembership(peer, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        hint.Observe(Available("silo-2", peer), Account).Should().BeNull();
        var outcome = await hint.Observe(Unavailable("silo-2"), Account)!;

        outcome.Should().Be(PeerCrashHintOutcome.Alive);
        membership.Killed.Should().BeEmpty("a silo whose port accepts is alive, whatever its XMPP session did");
        membership.CurrentSnapshot.Members[peer].Status.Should().Be(SiloStatus.Active);
    }

    [Fact]
    public async Task UnavailablePeer_WhosePortRefuses_IsKilled()
    {
        var port = FreeClosedPort();
        var peer = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7);
        var membership = new FakeMembership(peer, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        hint.Observe(Available("silo-2", peer), Account).Should().BeNull();
        var outcome = await hint.Observe(Unavailable("silo-2"), Account)!;

        outcome.Should().Be(PeerCrashHintOutcome.Killed);
        membership.Killed.Should().Equal(peer);
    }

    [Fact]
    public async Task UnavailablePeer_NeverSeenAvailable_IsFoundByResourceName()
    {
        var peer = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreeClosedPort()), 7);
        var membership = new FakeMembership(peer, "silo-3");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        (await hint.Observe(Unavailable("silo-3"), Account)!).Should().Be(PeerCrashHintOutcome.Killed);
        membership.Killed.Should().Equal(peer);
    }

    [Fact]
    public async Task UnavailablePeer_PublishedAnotherGeneration_IsIgnored()
    {
        // The peer restarted on the same port: its old generation's unavailable must not touch the new one.
        var port = FreeClosedPort();
        var current = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 8);
        var old = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7);
        var membership = new FakeMembership(current, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        hint.Observe(Available("silo-2", old), Account).Should().BeNull();
        (await hint.Observe(Unavailable("silo-2"), Account)!).Should().Be(PeerCrashHintOutcome.Ignored);
        membership.Killed.Should().BeEmpty();
    }

    [Fact]
    public void UnavailableFromAnotherAccount_NotAPeer_IsIgnored()
    {
        var membership = new FakeMembership(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 2), 7), "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        var presence = new Presence(PresenceType.Unavailable) { From = Jid.Parse("app@localhost/silo-2") };
        hint.Observe(presence, Account).Should().BeNull();
    }

    [Fact]
    public async Task UnavailablePeer_OnAConfiguredSiloAccount_IsKilled()
    {
        // Silos on separate accounts (silo-N@, as `./actors up` and compose run them) trust each other through Silos.
        var peer = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreeClosedPort()), 7);
        var membership = new FakeMembership(peer, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos("silo-*@localhost"), NullLogger.Instance, TimeSpan.FromSeconds(1));
        var other = Jid.Parse("silo-2@localhost/silo-2");

        hint.Observe(Available("silo-2", peer, other), Account).Should().BeNull();
        (await hint.Observe(new Presence(PresenceType.Unavailable) { From = other }, Account)!).Should().Be(PeerCrashHintOutcome.Killed);
        membership.Killed.Should().Equal(peer);
    }

    [Fact]
    public void SiloPresence_FromAnAccountNotConfigured_StartsNoCheck()
    {
        // Anyone on the domain can send directed presence naming a real silo, then unavailable: no probe, no kill.
        var peer = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreeClosedPort()), 7);
        var membership = new FakeMembership(peer, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos("silo-*@localhost"), NullLogger.Instance, TimeSpan.FromSeconds(1));
        var eve = Jid.Parse("eve@localhost/silo-2");

        hint.Observe(Available("silo-2", peer, eve), Account).Should().BeNull();
        hint.Observe(new Presence(PresenceType.Unavailable) { From = eve }, Account).Should().BeNull();
        membership.Killed.Should().BeEmpty();
    }

    [Fact]
    public async Task SiloPresence_WithAnOversizedName_IsNotRemembered()
    {
        var peer = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreeClosedPort()), 7);
        var name = new string('s', SiloPayload.MaxNameLength + 1);
        var membership = new FakeMembership(peer, name);
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));
        var from = Jid.Parse("silo@localhost/x");

        hint.Observe(Available(name, peer, from), Account).Should().BeNull();
        // Not remembered, and the resource "x" names no member: nothing to check.
        (await hint.Observe(new Presence(PresenceType.Unavailable) { From = from }, Account)!).Should().Be(PeerCrashHintOutcome.Ignored);
        membership.Killed.Should().BeEmpty();
    }

    [Fact]
    public async Task CheckEveryPeer_AfterOwnSessionLoss_KillsAPeerWhosePortRefuses_WithoutAnyPresence()
    {
        // A lost machine: the peer died with its XMPP node, so no unavailable ever comes; this silo's own reconnect is the trigger.
        var peer = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreeClosedPort()), 7);
        var membership = new FakeMembership(peer, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        (await hint.CheckEveryPeerAsync()).Should().Equal(PeerCrashHintOutcome.Killed);
        membership.Killed.Should().Equal(peer);
    }

    [Fact]
    public async Task CheckEveryPeer_LivePeer_IsNeverKilled()
    {
        using var live = new TcpListener(IPAddress.Loopback, 0);
        live.Start();
        var peer = SiloAddress.New((IPEndPoint)live.LocalEndpoint, 7);
        var membership = new FakeMembership(peer, "silo-2");
        var hint = new PeerCrashHint(membership, () => Self, Silos(), NullLogger.Instance, TimeSpan.FromSeconds(1));

        (await hint.CheckEveryPeerAsync()).Should().Equal(PeerCrashHintOutcome.Alive);
        membership.Killed.Should().BeEmpty("this silo itself and a peer that accepts connections are never touched");
    }

    private static TrustedAccounts Silos(params string[] entries) =>
        TrustedAccounts.TryCreate(entries, Account, "silo", out var silos, out var error) ? silos : throw new ArgumentException(error);

    private static Presence Available(string name, SiloAddress address, Jid? from = null)
    {
        var presence = new Presence { From = from ?? Account.WithResource(name) };
        presence.Element.Add(new XElement(ActorsXml.Silo, new XAttribute("name", name), new XAttribute("address", address.ToString()), new XAttribute("status", "Active")));
        return presence;
    }

    private static Presence Unavailable(string name) => new(PresenceType.Unavailable) { From = Account.WithResource(name) };

    /// <summary>A loopback port nothing listens on (bound, then released): a connect is refused.</summary>
    private static int FreeClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class FakeMembership : IClusterMembershipService
    {
        private ClusterMembershipSnapshot _snapshot;

        public FakeMembership(SiloAddress peer, string name)
        {
            var members = ImmutableDictionary<SiloAddress, ClusterMember>.Empty
                .Add(Self, new ClusterMember(Self, SiloStatus.Active, "self"))
                .Add(peer, new ClusterMember(peer, SiloStatus.Active, name));
            _snapshot = new ClusterMembershipSnapshot(members, new MembershipVersion(1));
        }

        public List<SiloAddress> Killed { get; } = [];

        public ClusterMembershipSnapshot CurrentSnapshot => _snapshot;

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress)
        {
            Killed.Add(siloAddress);
            var members = _snapshot.Members.SetItem(siloAddress, new ClusterMember(siloAddress, SiloStatus.Dead, _snapshot.Members[siloAddress].Name));
            _snapshot = new ClusterMembershipSnapshot(members, new MembershipVersion(_snapshot.Version.Value + 1));
            return Task.FromResult(true);
        }
    }
}
