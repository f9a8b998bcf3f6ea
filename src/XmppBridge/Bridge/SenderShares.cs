using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Each sender's share of a silo's bridge (DESIGN §10, XMPP fairness): how many of its stanzas may be queued or running
/// at once, and how many bytes they may hold. One account flooding a silo fills its own share and is refused
/// (<c>wait</c>/overloaded) while every other sender keeps its own; before, one global queue of 16,384 let a single
/// watcher crowd out the writers.
/// </summary>
/// <remarks>Counted per bare JID: the resources of one account share one share.</remarks>
internal sealed class SenderShares(int maxStanzas, long maxBytes)
{
    private readonly Dictionary<Jid, (int Stanzas, long Bytes)> _used = [];
    private readonly Lock _lock = new();

    /// <summary>The most stanzas one sender may have queued or running.</summary>
    public int MaxStanzas { get; } = maxStanzas;

    /// <summary>The most bytes one sender's queued or running stanzas may hold.</summary>
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Senders with anything queued or running now.</summary>
    public int Senders
    {
        get
        {
            lock (_lock)
            {
                return _used.Count;
            }
        }
    }

    /// <summary>
    /// Takes one stanza of <paramref name="bytes"/> from <paramref name="sender"/>'s share; null when the share is used
    /// up. Dispose the returned lease when the stanza is handled.
    /// </summary>
    public Lease? TryAdmit(Jid sender, long bytes)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var key = sender.Bare;
        lock (_lock)
        {
            _used.TryGetValue(key, out var used);
            // A single stanza larger than the byte share still passes when it is the sender's only one.
            if (used.Stanzas >= MaxStanzas || (used.Stanzas > 0 && used.Bytes + bytes > MaxBytes))
            {
                return null;
            }
            _used[key] = (used.Stanzas + 1, used.Bytes + bytes);
        }
        return new Lease(this, key, bytes);
    }

    private void Release(Jid key, long bytes)
    {
        lock (_lock)
        {
            var used = _used[key];
            if (used.Stanzas == 1)
            {
                _used.Remove(key);
            }
            else
            {
                _used[key] = (used.Stanzas - 1, used.Bytes - bytes);
            }
        }
    }

    /// <summary>One admitted stanza; disposing gives its place back (once).</summary>
    public sealed class Lease(SenderShares shares, Jid key, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                shares.Release(key, bytes);
            }
        }
    }
}
