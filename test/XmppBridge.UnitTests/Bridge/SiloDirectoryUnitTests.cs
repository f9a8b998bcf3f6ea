using System.Xml.Linq;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Store;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>
/// The directory behind <c>where</c> and aimed <c>drain</c> takes <c>&lt;silo/&gt;</c> presence only from the silos'
/// accounts, with capped names and addresses, and holds a bounded number of silos (issue 15, item 8).
/// </summary>
public sealed class SiloDirectoryUnitTests
{
    private static readonly Jid Own = Jid.Parse("silo-1@localhost");

    [Fact]
    public void Observe_SiloPresenceFromAConfiguredAccount_IsResolved()
    {
        var directory = new SiloDirectory(Own, Silos("silo-*@localhost"));

        directory.Observe(Available(Jid.Parse("silo-2@localhost/r2"), "silo-2"));

        directory.Resolve("silo-2").Should().Be(Jid.Parse("silo-2@localhost/r2"));
    }

    [Fact]
    public void Observe_SiloPresenceFromAnotherAccount_IsIgnored()
    {
        var directory = new SiloDirectory(Own, Silos("silo-*@localhost"));

        directory.Observe(Available(Jid.Parse("eve@localhost/x"), "silo-2"));

        directory.Resolve("silo-2").Should().Be(Own.WithResource("silo-2"), "eve is no silo's account");
        directory.Count.Should().Be(0);
    }

    [Fact]
    public void Observe_WithoutSilosConfigured_TrustsTheOwnAccountOnly()
    {
        var directory = new SiloDirectory(Own, Silos());

        directory.Observe(Available(Jid.Parse("silo-1@localhost/other"), "silo-3"));
        directory.Observe(Available(Jid.Parse("silo-2@localhost/r2"), "silo-2"));

        directory.Resolve("silo-3").Should().Be(Jid.Parse("silo-1@localhost/other"));
        directory.Resolve("silo-2").Should().Be(Own.WithResource("silo-2"));
    }

    [Theory]
    [InlineData(SiloPayload.MaxNameLength + 1, 10)]
    [InlineData(10, SiloPayload.MaxAddressLength + 1)]
    public void Observe_OversizedPayload_IsIgnored(int nameLength, int addressLength)
    {
        var directory = new SiloDirectory(Own, Silos());
        var name = new string('n', nameLength);

        directory.Observe(Available(Own.WithResource("r"), name, new string('a', addressLength)));

        directory.Count.Should().Be(0);
    }

    [Fact]
    public void Observe_ManyNames_StopsAtTheCap_AndUnavailableMakesRoom()
    {
        var directory = new SiloDirectory(Own, Silos());
        for (var i = 0; i < SiloDirectory.MaxEntries + 100; i++)
        {
            directory.Observe(Available(Own.WithResource($"r{i}"), $"silo-{i}"));
        }

        directory.Count.Should().Be(SiloDirectory.MaxEntries);
        directory.Resolve($"silo-{SiloDirectory.MaxEntries}").Should().Be(Own.WithResource($"silo-{SiloDirectory.MaxEntries}"), "past the cap nothing new is remembered");

        directory.Observe(new Presence(PresenceType.Unavailable) { From = Own.WithResource("r0") });
        directory.Observe(Available(Own.WithResource("late"), "silo-late"));
        directory.Resolve("silo-late").Should().Be(Own.WithResource("late"));
    }

    [Theory]
    [InlineData("*@localhost")]
    [InlineData("silo-1@localhost/r")]
    [InlineData("si*lo@localhost")]
    public void SiloJids_WholeDomainsAndMalformedEntries_AreRefused(string entry)
    {
        TrustedAccounts.TryCreate([entry], Own, "silo", out _, out var error).Should().BeFalse();
        error.Should().Contain(entry);
    }

    private static TrustedAccounts Silos(params string[] entries) =>
        TrustedAccounts.TryCreate(entries, Own, "silo", out var silos, out var error) ? silos : throw new ArgumentException(error);

    private static Presence Available(Jid from, string name, string? address = null)
    {
        var presence = new Presence { From = from };
        var silo = new XElement(ActorsXml.Silo, new XAttribute("name", name), new XAttribute("status", "Active"));
        if (address is not null)
        {
            silo.Add(new XAttribute("address", address));
        }

        presence.Element.Add(silo);
        return presence;
    }
}
