using Actors.XmppBridge.Bridge;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>
/// The bridge's dispatch of writes (docs/xmpp-bridge.md, "Ordering"): one key's items run one at a time in queue
/// order, different keys run concurrently, and the number pending is bounded.
/// </summary>
public sealed class KeyedSchedulerUnitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryEnqueue_ManyKeys_AllInFlightAtOnce()
    {
        // With the former 16 hashed lanes only 16 of these could start while the others waited behind them.
        const int keys = 200;
        var scheduler = new KeyedScheduler(1024, ex => throw ex);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;

        for (var i = 0; i < keys; i++)
        {
            scheduler.TryEnqueue($"topic/{i}", async () =>
            {
                if (Interlocked.Increment(ref started) == keys)
                {
                    allStarted.SetResult();
                }

                await gate.Task;
            }).Should().BeTrue();
        }

        await allStarted.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        scheduler.Pending.Should().Be(keys);
        gate.SetResult();
        await scheduler.CompleteAsync(Timeout);
        scheduler.Pending.Should().Be(0);
    }

    [Fact]
    public async Task TryEnqueue_OneKey_RunsOneAtATimeInQueueOrder()
    {
        const int items = 500;
        var scheduler = new KeyedScheduler(1024, ex => throw ex);
        var order = new List<int>();
        var running = 0;
        var overlapped = false;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        for (var i = 0; i < items; i++)
        {
            var n = i;
            scheduler.TryEnqueue("topic/1", async () =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                await Task.Yield();
                lock (order)
                {
                    order.Add(n);
                }

                Interlocked.Decrement(ref running);
                if (n == items - 1)
                {
                    done.SetResult();
                }
            }).Should().BeTrue();

            // Other keys interleaved in the queue must not disturb this key's order.
            scheduler.TryEnqueue($"other/{i % 7}", () => Task.CompletedTask).Should().BeTrue();
        }

        await done.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        overlapped.Should().BeFalse();
        order.Should().Equal(Enumerable.Range(0, items));
    }

    [Fact]
    public async Task TryEnqueue_AtCapacity_RefusesUntilAnItemFinishes()
    {
        var scheduler = new KeyedScheduler(3, ex => throw ex);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        scheduler.TryEnqueue("a", async () => await gate.Task).Should().BeTrue();
        scheduler.TryEnqueue("a", () => { finished.SetResult(); return Task.CompletedTask; }).Should().BeTrue();
        scheduler.TryEnqueue("b", async () => await gate.Task).Should().BeTrue();
        scheduler.TryEnqueue("c", () => Task.CompletedTask).Should().BeFalse();
        scheduler.Pending.Should().Be(3);

        gate.SetResult();
        await finished.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await scheduler.CompleteAsync(Timeout);
        scheduler.Pending.Should().Be(0);
        scheduler.TryEnqueue("c", () => Task.CompletedTask).Should().BeFalse("the scheduler is completed");
    }

    [Fact]
    public async Task TryEnqueue_ItemThrows_ReportedAndNextItemOfKeyStillRuns()
    {
        var errors = new List<Exception>();
        var scheduler = new KeyedScheduler(16, ex => { lock (errors) { errors.Add(ex); } });
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        scheduler.TryEnqueue("a", () => throw new InvalidOperationException("boom")).Should().BeTrue();
        scheduler.TryEnqueue("a", () => { next.SetResult(); return Task.CompletedTask; }).Should().BeTrue();

        await next.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await scheduler.CompleteAsync(Timeout);
        errors.Should().ContainSingle().Which.Message.Should().Be("boom");
    }

    [Fact]
    public async Task TryEnqueue_KeyBusy_WaitsForTheEarlierItem()
    {
        var scheduler = new KeyedScheduler(16, ex => throw ex);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstDone = false;
        var secondSawFirstDone = false;

        scheduler.TryEnqueue("a", async () => { await gate.Task; firstDone = true; }).Should().BeTrue();
        scheduler.TryEnqueue("a", () =>
        {
            secondSawFirstDone = Volatile.Read(ref firstDone);
            second.SetResult();
            return Task.CompletedTask;
        }).Should().BeTrue();

        second.Task.IsCompleted.Should().BeFalse("the key's first item is still running");
        gate.SetResult();
        await second.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        secondSawFirstDone.Should().BeTrue();
        await scheduler.CompleteAsync(Timeout);
        scheduler.Pending.Should().Be(0);
    }
}
