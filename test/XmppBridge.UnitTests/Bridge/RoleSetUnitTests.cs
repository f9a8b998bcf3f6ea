using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>The role rules of docs/xmpp-bridge.md: entries and wildcards, the defaults of empty lists, and how roles nest.</summary>
public sealed class RoleSetUnitTests
{
    private const string Domain = "example.org";
    private const BridgeRoles Everything = BridgeRoles.Operator | BridgeRoles.Writer | BridgeRoles.Reader | BridgeRoles.Watcher;

    [Theory]
    [InlineData("alice@example.org", "alice", "example.org")]
    [InlineData("  alice@example.org  ", "alice", "example.org")]
    [InlineData("*@example.org", null, "example.org")]
    [InlineData("*@Example.ORG", null, "example.org")]
    [InlineData("silo-*@example.org", "silo-", "example.org", true)]
    public void JidPattern_TryParse_AcceptsBareJidsPrefixesAndWholeDomains(string text, string? local, string domain, bool prefix = false)
    {
        JidPattern.TryParse(text, out var pattern).Should().BeTrue();
        pattern.Should().Be(new JidPattern(local, domain, prefix));
        pattern!.ToString().Should().Be(text.Trim().ToLowerInvariant());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alice@example.org/phone")]
    [InlineData("*@example.org/phone")]
    [InlineData("example.org")]
    [InlineData("*")]
    [InlineData("*@")]
    [InlineData("*@a@example.org")]
    [InlineData("@example.org")]
    [InlineData("si*lo@example.org")]
    [InlineData("**@example.org")]
    [InlineData("silo-*@example.org/r")]
    public void JidPattern_TryParse_RejectsResourcesDomainsAloneAndMalformedEntries(string? text)
    {
        JidPattern.TryParse(text, out var pattern).Should().BeFalse();
        pattern.Should().BeNull();
    }

    [Theory]
    [InlineData("silo-*@example.org", "silo-1@example.org/silo-1", true)]
    [InlineData("silo-*@example.org", "SILO-12@example.org", true)]
    [InlineData("silo-*@example.org", "silo@example.org", false)]
    [InlineData("silo-*@example.org", "eve-silo-1@example.org", false)]
    [InlineData("silo-*@example.org", "silo-1@example.org.evil", false)]
    [InlineData("*@example.org", "alice@example.org/phone", true)]
    [InlineData("*@example.org", "bob@example.org", true)]
    [InlineData("*@example.org", "alice@sub.example.org", false)]
    [InlineData("*@example.org", "alice@example.org.evil", false)]
    [InlineData("*@example.org", "example.org", false)]
    [InlineData("alice@example.org", "alice@example.org/any-resource", true)]
    [InlineData("alice@example.org", "alice@EXAMPLE.org", true)]
    [InlineData("alice@example.org", "Alice@example.org", true)]
    [InlineData("Alice@example.org", "alice@example.org", true)]
    [InlineData("alice@example.org", "alicex@example.org", false)]
    [InlineData("alice@example.org", "alice@example.net", false)]
    public void JidPattern_Matches_AnyResourceOfTheAccountOrDomain(string entry, string jid, bool expected)
    {
        JidPattern.TryParse(entry, out var pattern).Should().BeTrue();
        pattern!.Matches(Jid.Parse(jid)).Should().Be(expected);
    }

    [Fact]
    public void Defaults_NothingConfigured_OwnDomainWatchesOnlyAndNobodyElseAnything()
    {
        var roles = new XmppBridgeOptions().Roles(Domain);

        roles.Resolve(Jid.Parse("anyone@example.org/laptop")).Should().Be(BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("stranger@example.net/laptop")).Should().Be(BridgeRoles.None);
        roles.Resolve(Jid.Parse("anyone@sub.example.org")).Should().Be(BridgeRoles.None);
        roles.Resolve(Jid.Parse("example.org")).Should().Be(BridgeRoles.None, "the server itself is not one of its accounts");
    }

    [Fact]
    public void Writers_DefaultReadersAreWritersAndOperators()
    {
        var options = new XmppBridgeOptions();
        options.Writers.Add("app@example.org");
        options.Operators.Add("ops@example.org");
        var roles = options.Roles(Domain);

        roles.Resolve(Jid.Parse("app@example.org/w1")).Should().Be(BridgeRoles.Writer | BridgeRoles.Reader | BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("ops@example.org/desk")).Should().Be(Everything);
        roles.Resolve(Jid.Parse("eve@example.org/x")).Should().Be(BridgeRoles.Watcher, "an empty reader list means writers and operators only");
    }

    [Fact]
    public void ExplicitReaders_ReplaceTheDefault_ButWritersAndOperatorsStillRead()
    {
        var options = new XmppBridgeOptions();
        options.Readers.Add("reader@example.org");
        options.Writers.Add("app@example.org");
        options.Operators.Add("ops@example.org");
        var roles = options.Roles(Domain);

        roles.Resolve(Jid.Parse("reader@example.org")).Should().Be(BridgeRoles.Reader | BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("app@example.org")).Should().HaveFlag(BridgeRoles.Reader);
        roles.Resolve(Jid.Parse("ops@example.org")).Should().Be(Everything);
        roles.Resolve(Jid.Parse("eve@example.org")).Should().Be(BridgeRoles.Watcher);
    }

    [Fact]
    public void Nesting_ReadersWritersAndOperatorsOfOtherDomainsMayAlsoWatch()
    {
        var options = new XmppBridgeOptions();
        options.Readers.Add("auditor@partner.net");
        options.Writers.Add("*@apps.example.net");
        options.Operators.Add("root@ops.example.com");
        var roles = options.Roles(Domain);

        roles.Resolve(Jid.Parse("auditor@partner.net/a")).Should().Be(BridgeRoles.Reader | BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("billing@apps.example.net/1")).Should().Be(BridgeRoles.Writer | BridgeRoles.Reader | BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("root@ops.example.com/desk")).Should().Be(Everything);
        roles.Resolve(Jid.Parse("other@partner.net")).Should().Be(BridgeRoles.None);
    }

    [Fact]
    public void ExplicitWatchers_ReplaceTheOwnDomainDefault()
    {
        var options = new XmppBridgeOptions();
        options.Watchers.Add("*@monitoring.example.net");
        options.Watchers.Add("carol@example.org");
        options.Writers.Add("app@example.org");
        var roles = options.Roles(Domain);

        roles.Resolve(Jid.Parse("bot@monitoring.example.net")).Should().Be(BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("carol@example.org")).Should().Be(BridgeRoles.Watcher);
        roles.Resolve(Jid.Parse("eve@example.org")).Should().Be(BridgeRoles.None, "the own domain is the default only while the list is empty");
        roles.Resolve(Jid.Parse("app@example.org")).Should().HaveFlag(BridgeRoles.Watcher, "a writer may always watch");
    }

    [Fact]
    public void WildcardOperators_CoverTheWholeDomain()
    {
        var options = new XmppBridgeOptions();
        options.Operators.Add("*@ops.example.org");
        var roles = options.Roles(Domain);

        roles.Resolve(Jid.Parse("anyone@ops.example.org/x")).Should().Be(Everything);
        roles.Resolve(Jid.Parse("anyone@example.org/x")).Should().Be(BridgeRoles.Watcher);
    }

    [Fact]
    public void InvalidEntry_Throws()
    {
        var options = new XmppBridgeOptions();
        options.Writers.Add("app@example.org/phone");

        var act = () => options.Roles(Domain);

        act.Should().Throw<ArgumentException>().WithMessage("*app@example.org/phone*");
    }

    [Theory]
    [InlineData(15, "operator")]
    [InlineData(7, "writer")]
    [InlineData(3, "reader")]
    [InlineData(1, "watcher")]
    [InlineData(0, "no role")]
    public void Describe_NamesTheMostCapableRole(int roles, string expected) =>
        RoleSet.Describe((BridgeRoles)roles).Should().Be(expected);
}
