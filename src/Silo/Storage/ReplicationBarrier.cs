using StackExchange.Redis;

namespace Actors.Silo.Storage;

/// <summary>
/// The replica acknowledgement of one Redis primary, as a group commit: one <c>WAIT numreplicas timeout</c> covers every
/// write that completed on the connection before it was sent, so concurrent writes to many roots share one barrier.
/// </summary>
/// <remarks>
/// <para>Redis' WAIT (https://redis.io/commands/wait/) blocks the connection that sent it until the replicas have
/// acknowledged every write that connection sent before it. The writes and the WAIT therefore go over the same
/// connection, the storage's write connection to this primary, never the one reads use (a WAIT waiting out its timeout
/// would stall them).</para>
/// <para>A write that completes while a WAIT is on the wire is not covered by it (the WAIT may have been sent first); it
/// waits for the next one, which starts as soon as the current one returns. A connection that was lost and restored
/// between a write and its WAIT would make the WAIT count a new, empty connection: the generation check refuses that.</para>
/// </remarks>
internal sealed class ReplicationBarrier
{
    private readonly IServer _server;
    private readonly object _gate = new();
    private TaskCompletionSource<long>? _next;
    private bool _running;
    private int _generation;

    public ReplicationBarrier(IServer server)
    {
        _server = server;
    }

    /// <summary>Bumped when the connection to this primary fails or is restored.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public void ConnectionChanged() => Interlocked.Increment(ref _generation);

    /// <summary>
    /// Waits until at least <paramref name="replicas"/> replicas hold every write this connection completed before the
    /// call; returns how many did when <paramref name="timeout"/> ran out first.
    /// </summary>
    public Task<long> WaitAsync(int replicas, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_running)
            {
                return (_next ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            _running = true;
            var batch = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = RunAsync(batch, replicas, timeout);
            return batch.Task;
        }
    }

    private async Task RunAsync(TaskCompletionSource<long> batch, int replicas, TimeSpan timeout)
    {
        while (true)
        {
            try
            {
                var acknowledged = await _server.ExecuteAsync("WAIT", replicas, (long)Math.Max(1, timeout.TotalMilliseconds)).ConfigureAwait(false);
                batch.TrySetResult((long)acknowledged);
            }
            catch (Exception ex)
            {
                batch.TrySetException(ex);
            }

            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                batch = _next;
                _next = null;
            }
        }
    }
}
