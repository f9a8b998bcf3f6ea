using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.Bridge;

public sealed class SenderSharesUnitTests
{
    private static readonly Jid Eve = Jid.Parse("eve@example.org/flood");
    private static readonly Jid EveOther = Jid.Parse("eve@example.org/second");
    private static readonly Jid App = Jid.Parse("app@example.org/writer");

    [Fact]
    public void TryAdmit_UpToTheShare_ThenRefused_OtherSendersUnaffected()
    {
        var shares = new SenderShares(maxStanzas: 3, maxBytes: 1_000_000);
        var leases = Enumerable.Range(0, 3).Select(_ => shares.TryAdmit(Eve, 10)).ToList();

        leases.Should().OnlyContain(l => l != null);
        shares.TryAdmit(Eve, 10).Should().BeNull("eve used her 3");
        shares.TryAdmit(EveOther, 10).Should().BeNull("the share is per account, not per resource");
        shares.TryAdmit(App, 10).Should().NotBeNull("app has a share of its own");

        leases[0]!.Dispose();
        leases[0]!.Dispose();
        shares.TryAdmit(Eve, 10).Should().NotBeNull("a released place can be used again, once");
        shares.TryAdmit(Eve, 10).Should().BeNull();
    }

    [Fact]
    public void TryAdmit_ByteShare_RefusesBeyondIt_ButNeverASendersOnlyStanza()
    {
        var shares = new SenderShares(maxStanzas: 100, maxBytes: 1_000);
        using var big = shares.TryAdmit(Eve, 5_000);

        big.Should().NotBeNull("a single large stanza passes when it is the sender's only one");
        shares.TryAdmit(Eve, 1).Should().BeNull("with it queued the byte share is used up");
        big!.Dispose();
        using var first = shares.TryAdmit(Eve, 600);
        shares.TryAdmit(Eve, 600).Should().BeNull();
        shares.TryAdmit(Eve, 400).Should().NotBeNull();
    }

    [Fact]
    public void Release_LastStanza_ForgetsTheSender()
    {
        var shares = new SenderShares(maxStanzas: 10, maxBytes: 1_000);
        var lease = shares.TryAdmit(Eve, 10)!;
        shares.Senders.Should().Be(1);

        lease.Dispose();

        shares.Senders.Should().Be(0, "the map does not grow with every sender ever seen");
    }
}
