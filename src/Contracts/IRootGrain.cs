using Orleans.Concurrency;

namespace Actors.Contracts;

/// <summary>
/// A root object and its whole subtree (docs/data-model.md–3). The grain's primary key is the <see cref="RootId"/> as
/// <c>type/id</c>; get one with <see cref="RootGrainFactoryExtensions.GetRoot(IGrainFactory, RootId)"/>.
/// </summary>
/// <remarks>
/// Every write is idempotent by its write id and returns only once its new state is in storage. Errors are returned as
/// values (<see cref="WriteResult.Error"/>, <see cref="ReadResult.Error"/>), never thrown, so callers map them without
/// exception handling; only transport failures (a silo dying mid-call, a timeout) surface as exceptions, and those
/// calls are safe to retry with the same write id.
/// </remarks>
public interface IRootGrain : IGrainWithStringKey
{
    /// <summary>Applies <paramref name="command"/> once, durably; a repeated write id returns the original result.</summary>
    Task<WriteResult> WriteAsync(WriteCommand command);

    /// <summary>Reads the whole document, or the subtree at the RFC 6901 JSON Pointer <paramref name="pointer"/>.</summary>
    [ReadOnly]
    Task<ReadResult> ReadAsync(string? pointer = null);

    /// <summary>The silo this root is active on (activating it if needed), for the <c>where</c> command.</summary>
    [ReadOnly]
    Task<RootLocation> GetLocationAsync();
}
