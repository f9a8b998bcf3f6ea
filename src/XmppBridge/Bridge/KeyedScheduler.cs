using System.Runtime.InteropServices;
using Actors.XmppBridge.Client.Diagnostics;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Runs work items one at a time per key, in the order they were queued, and items of different keys concurrently:
/// each key has a tail task, and a new item runs after the tail of its key only.
/// </summary>
/// <remarks>
/// <para>This replaced a fixed set of 16 lanes that hashed keys onto them: with ~100 writes in flight, writes to
/// different roots waited behind each other on a shared lane (3–11 ms of queueing per write). Here nothing waits
/// except behind an earlier item of the same key.</para>
/// <para>Memory is bounded by <see cref="Capacity"/>: queued plus running items over all keys. At the limit
/// <see cref="TryEnqueue"/> refuses (the bridge answers "overloaded"), so a flood cannot grow the map or the chains
/// without bound. A key's entry is removed when its last item finishes.</para>
/// </remarks>
internal sealed class KeyedScheduler
{
    private readonly Dictionary<string, Tail> _tails = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Action<Exception> _onError;
    private int _pending;
    private bool _completed;

    /// <summary>Creates a scheduler that holds at most <paramref name="capacity"/> queued and running items.</summary>
    /// <param name="capacity">The bound on queued plus running items, over all keys.</param>
    /// <param name="onError">Called with an exception a work item threw; the next item of its key still runs.</param>
    public KeyedScheduler(int capacity, Action<Exception> onError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _onError = onError;
    }

    /// <summary>The most items queued or running at once.</summary>
    public int Capacity { get; }

    /// <summary>Items queued or running now.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="work"/> behind the earlier items of <paramref name="key"/>; it never runs on the caller's
    /// thread (the XMPP read loop). False, and nothing queued, when <see cref="Capacity"/> items are pending or after
    /// <see cref="CompleteAsync"/>.
    /// </summary>
    public bool TryEnqueue(string key, Func<Task> work)
    {
        lock (_lock)
        {
            if (_completed || _pending >= Capacity)
            {
                return false;
            }

            _pending++;
            XmppInstruments.Pending.Add(1);
            ref var tail = ref CollectionsMarshal.GetValueRefOrAddDefault(_tails, key, out _);
            tail.Count++;
            tail.Task = RunAsync(key, tail.Task, work);
            return true;
        }
    }

    /// <summary>Refuses new items and waits for the queued ones, up to <paramref name="timeout"/>.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        Task[] tails;
        lock (_lock)
        {
            _completed = true;
            tails = [.. _tails.Values.Select(t => t.Task!)];
        }

        await Task.WhenAll(tails).WaitAsync(timeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(string key, Task? previous, Func<Task> work)
    {
        // Never run on the caller (the read loop, holding our lock); after the previous item of this key otherwise. Items
        // do not fault (errors go to _onError), but a cancelled one must not stop the chain.
        await (previous ?? Task.CompletedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);

        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _onError(ex);
        }
        finally
        {
            lock (_lock)
            {
                _pending--;
                XmppInstruments.Pending.Add(-1);
                ref var tail = ref CollectionsMarshal.GetValueRefOrNullRef(_tails, key);
                if (--tail.Count == 0)
                {
                    _tails.Remove(key);
                }
            }
        }
    }

    private struct Tail
    {
        public Task? Task;
        public int Count;
    }
}
