using Actors.XmppBridge.Client.StreamManagement;

namespace Actors.XmppBridge.UnitTests.StreamManagement;

public sealed class StreamManagementStateUnitTests
{
    [Fact]
    public void OnAck_Cumulative_DropsEverythingUpToH()
    {
        var sm = new StreamManagementState();
        sm.Start("id");
        for (var i = 0; i < 5; i++)
        {
            sm.OnSent(new OutboundStanza($"<m{i}/>", true));
        }

        sm.OnAck(3).Should().Be(3);
        sm.UnackedCount.Should().Be(2);
        sm.OnAck(3).Should().Be(0, "a repeated ack acknowledges nothing new");
        sm.OnAck(5).Should().Be(2);
        sm.UnackedCount.Should().Be(0);
    }

    [Fact]
    public void OnAck_CounterWrapsAt2Pow32_CountsAcrossTheWrap()
    {
        var sm = new StreamManagementState();
        sm.Start("id");
        sm.SetCountersForTest(outbound: uint.MaxValue - 2, acked: uint.MaxValue - 2);
        for (var i = 0; i < 6; i++)
        {
            sm.OnSent(new OutboundStanza($"<m{i}/>", true));
        }

        sm.Outbound.Should().Be(3u, "2^32 - 3 + 6 wraps to 3");
        sm.OnAck(uint.MaxValue).Should().Be(2);
        sm.OnAck(1).Should().Be(2, "h went from 2^32-1 over the wrap to 1");
        sm.TakeUnacked().Select(s => s.Xml).Should().Equal("<m4/>", "<m5/>");
        sm.Outbound.Should().Be(1u, "the counter rewinds to the last ack so resent stanzas are counted again");
    }

    [Fact]
    public void OnAck_MoreThanOutstanding_ReportsViolationAndClears()
    {
        var sm = new StreamManagementState();
        sm.Start("id");
        sm.OnSent(new OutboundStanza("<m/>", true));
        sm.OnAck(7).Should().Be(-1);
        sm.UnackedCount.Should().Be(0);
    }

    [Fact]
    public void CanResume_AfterWindow_IsFalse()
    {
        var sm = new StreamManagementState();
        var now = DateTimeOffset.UtcNow;
        sm.Start("id");
        sm.ResumableUntil = now.AddSeconds(5);
        sm.CanResume(now.AddSeconds(4)).Should().BeTrue();
        sm.CanResume(now.AddSeconds(6)).Should().BeFalse();
        sm.Start(null);
        sm.CanResume(now).Should().BeFalse("the server did not grant resumption");
    }
}
