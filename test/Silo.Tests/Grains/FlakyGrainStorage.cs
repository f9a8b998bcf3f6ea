using System.Collections.Concurrent;
using Orleans.Storage;

namespace Actors.Silo.Tests.Grains;

/// <summary>
/// An in-memory grain storage whose writes can be made to fail, to show that a failed write is not acknowledged and
/// leaves neither memory nor storage changed. (Real Redis outages are covered by the Redis tests.)
/// </summary>
public sealed class FlakyGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), (object State, string ETag)> _store = new();

    /// <summary>When true, every write throws as a dead Redis would.</summary>
    public volatile bool FailWrites;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_store.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = (T)entry.State;
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailWrites)
        {
            throw new IOException("storage is down (test)");
        }
        var etag = Guid.NewGuid().ToString("N");
        _store[(stateName, grainId)] = (grainState.State!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _store.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
