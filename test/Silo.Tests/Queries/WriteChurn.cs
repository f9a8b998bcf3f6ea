using System.Collections.Concurrent;
using Actors.Contracts;

namespace Actors.Silo.Tests.Queries;

/// <summary>
/// Concurrent writes while a test reads: creates, updates and deletes roots of a type until disposed, and keeps the
/// last acknowledged document of every root it touched (null once deleted), so the test can compare with a scan.
/// </summary>
internal sealed class WriteChurn : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private int _writes;

    /// <param name="step">One write: given a random source, returns (id, JSON to put, or null to delete).</param>
    public WriteChurn(IGrainFactory grains, string type, int workers, Func<Random, (string Id, string? Json)> step)
    {
        for (var w = 0; w < workers; w++)
        {
            var random = new Random(w * 7919);
            _workers.Add(Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var (id, json) = step(random);
                    // One writer per id at a time, so the recorded outcome is the root's last acknowledged state.
                    var gate = Gates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
                    await gate.WaitAsync();
                    try
                    {
                        var root = grains.GetRoot(RootId.Create(type, id));
                        var command = json is null ? WriteCommand.Delete(Guid.NewGuid().ToString("N")) : WriteCommand.Put(Guid.NewGuid().ToString("N"), json);
                        var result = await WriteUntilAnsweredAsync(root, command);
                        if (result.Succeeded)
                        {
                            Final[id] = json;
                            Interlocked.Increment(ref _writes);
                        }
                        else if (result.Error!.Kind != ActorsErrorKind.RootNotFound)
                        {
                            throw new InvalidOperationException($"write to {id} refused: {result.Error}");
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }));
        }
    }

    /// <summary>
    /// Retries a write with the same write id while its silo is unreachable or storage unavailable (a killed silo's
    /// roots answer again once it is declared dead), so every write's outcome is known: applied once, or refused.
    /// </summary>
    private static async Task<WriteResult> WriteUntilAnsweredAsync(IRootGrain root, WriteCommand command)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                var result = await root.WriteAsync(command);
                if (result.Error?.Kind != ActorsErrorKind.Unavailable || DateTime.UtcNow > deadline)
                {
                    return result;
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Unreachable silo: the same write id again is safe.
            }
            await Task.Delay(200);
        }
    }

    private ConcurrentDictionary<string, SemaphoreSlim> Gates { get; } = new();

    /// <summary>The last acknowledged document per id this churn wrote (null: deleted).</summary>
    public ConcurrentDictionary<string, string?> Final { get; } = new();

    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Stops the writers and fails if one of them failed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    private bool _stopped;
}
