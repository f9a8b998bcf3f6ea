namespace Actors.XmppBridge.Client.StreamManagement;

/// <summary>
/// XEP-0198 counters and the queue of unacknowledged stanzas. Not thread-safe: the client locks it.
/// </summary>
/// <remarks>
/// XEP-0198 §4: <c>h</c> counts handled stanzas (not nonzas) modulo 2^32, and an <c>&lt;a h/&gt;</c>
/// acknowledges everything up to <c>h</c> cumulatively. So the number newly acknowledged is
/// <c>h - lastH</c> in unsigned 32-bit arithmetic, which stays right across the wrap at 2^32.
/// </remarks>
internal sealed class StreamManagementState
{
    private readonly Queue<OutboundStanza> _unacked = new();

    /// <summary>Stream management is active on the current (or last, resumable) session.</summary>
    public bool Enabled { get; private set; }

    /// <summary>The server's resumption id, or null when the session cannot be resumed.</summary>
    public string? ResumptionId { get; private set; }

    /// <summary>Inbound stanzas handled on this session (our <c>h</c>).</summary>
    public uint Inbound { get; set; }

    /// <summary>Stanzas sent on this session.</summary>
    public uint Outbound { get; private set; }

    /// <summary>The last <c>h</c> the server acknowledged.</summary>
    public uint Acked { get; private set; }

    /// <summary>An <c>&lt;r/&gt;</c> is outstanding.</summary>
    public bool AckRequested { get; set; }

    /// <summary>When the current resumable session can no longer be resumed (set when the connection drops).</summary>
    public DateTimeOffset? ResumableUntil { get; set; }

    /// <summary>Number of stanzas not yet acknowledged.</summary>
    public int UnackedCount => _unacked.Count;

    /// <summary>Starts counting on a fresh session (after <c>&lt;enabled/&gt;</c>).</summary>
    public void Start(string? resumptionId)
    {
        Enabled = true;
        ResumptionId = resumptionId;
        Inbound = 0;
        Outbound = 0;
        Acked = 0;
        AckRequested = false;
        ResumableUntil = null;
    }

    /// <summary>Turns stream management off (server without XEP-0198); the queue must be empty or taken.</summary>
    public void Disable()
    {
        Enabled = false;
        ResumptionId = null;
        ResumableUntil = null;
        _unacked.Clear();
    }

    /// <summary>True when a dropped session may still be resumed at <paramref name="now"/>.</summary>
    public bool CanResume(DateTimeOffset now) => Enabled && ResumptionId is not null && (ResumableUntil is null || now <= ResumableUntil);

    /// <summary>Records a stanza written (or queued for writing) on this session.</summary>
    public void OnSent(OutboundStanza stanza)
    {
        Outbound++;
        _unacked.Enqueue(stanza);
    }

    /// <summary>
    /// Applies <c>&lt;a h/&gt;</c> or <c>&lt;resumed h/&gt;</c>. Returns how many stanzas it newly acknowledged,
    /// or -1 when <paramref name="h"/> acknowledges more than was outstanding (then everything is dropped).
    /// </summary>
    public int OnAck(uint h)
    {
        var count = unchecked(h - Acked);
        Acked = h;
        if (count > (uint)_unacked.Count)
        {
            _unacked.Clear();
            return -1;
        }

        for (var i = 0u; i < count; i++)
        {
            _unacked.Dequeue();
        }

        return (int)count;
    }

    /// <summary>Removes and returns every unacknowledged stanza, oldest first, and rewinds the outbound counter to the last ack.</summary>
    public List<OutboundStanza> TakeUnacked()
    {
        var all = _unacked.ToList();
        _unacked.Clear();
        Outbound = Acked;
        return all;
    }

    /// <summary>Test hook: places the counters near the 2^32 wrap.</summary>
    internal void SetCountersForTest(uint outbound, uint acked)
    {
        Outbound = outbound;
        Acked = acked;
    }
}
