using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Contracts;
using Actors.Silo.Diagnostics;
using Actors.Silo.Documents;
using Actors.Silo.Hosting;
using Actors.Silo.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Grains;

/// <summary>
/// A root object and its subtree: where every write is applied, deduplicated by write id, and persisted write-through.
/// </summary>
/// <remarks>
/// The grain is not reentrant, so writes to one root apply one at a time in arrival order; reads may interleave with
/// each other but never with a write, so a reader never sees a state that is not yet in storage.
/// </remarks>
internal sealed partial class RootGrain : Grain, IRootGrain
{
    // One engine per silo's options instead of one per activation: it is immutable, and 100,000 idle roots would
    // otherwise each hold their own copy of the same limits.
    private static readonly ConditionalWeakTable<RootGrainOptions, DocumentEngine> Engines = new();

    private readonly IPersistentState<RootState> _state;
    private readonly IPersistentState<WriteArchive> _archive;
    private readonly RootGrainOptions _options;
    private readonly DocumentEngine _engine;
    private readonly ILocalSiloDetails _silo;
    private readonly ILogger<RootGrain> _logger;
    private readonly WriteRetention _retention;
    private WriteMemory _memory = null!;
    private bool _warnedAboutCeiling;
    private string _root = "";

    public RootGrain(
        [PersistentState("root", ActorsSiloExtensions.StorageName)] IPersistentState<RootState> state,
        [PersistentState("writes", ActorsSiloExtensions.StorageName)] IPersistentState<WriteArchive> archive,
        IOptions<RootGrainOptions> options,
        ILocalSiloDetails silo,
        ILogger<RootGrain> logger,
        TimeProvider? time = null)
    {
        _state = state;
        _archive = archive;
        _options = options.Value;
        _engine = Engines.GetValue(_options, static o => new DocumentEngine(new DocumentLimits { MaxDocumentBytes = o.MaxDocumentBytes, MaxDepth = o.MaxDepth, MaxPatchOperations = o.MaxPatchOperations, MaxPatchWorkBytes = o.MaxPatchWorkBytes }));
        _silo = silo;
        _logger = logger;
        _retention = new WriteRetention(_options.WriteIdMemory, _options.WriteIdMinRetention, _options.WriteIdMaxEntries, time ?? TimeProvider.System);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _root = this.GetPrimaryKeyString();
        _memory = new WriteMemory(_archive.State.Writes, new ArchiveBatches(_archive.State.Batches), _state.State.Writes, _retention);
        return Task.CompletedTask;
    }

    public async Task<WriteResult> WriteAsync(WriteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var started = Stopwatch.GetTimestamp();
        var result = await ApplyAsync(command);
        SiloInstruments.RecordWrite(command.Op, result, started);
        return result;
    }

    private async Task<WriteResult> ApplyAsync(WriteCommand command)
    {
        var current = _state.State;
        if (DocumentEngine.Validate(command) is { } shapeError)
        {
            return Refuse(shapeError);
        }

        // Dedup comes before every other check, so a retried conditional write is a duplicate, not a conflict.
        // 64 bits of the command fingerprint suffice: it only has to tell apart commands sent under one write id.
        var fingerprint = (ulong)CommandFingerprint.Compute(command);
        var writeIdHash = WriteMemory.HashWriteId(command.WriteId);
        if (_memory.TryGet(writeIdHash, current.Version, out var seen))
        {
            SiloInstruments.WriteIdHits.Add(1, new KeyValuePair<string, object?>("result", seen.Fingerprint == fingerprint ? "duplicate" : "reused"));
            return seen.Fingerprint == fingerprint
                ? new WriteResult(_root, seen.Version, Duplicate: true, Created: seen.Created, Deleted: seen.Deleted)
                : Refuse(ActorsError.WriteIdReused(command.WriteId));
        }

        if (command.IfVersion is { } expected && expected != current.Version)
        {
            return Refuse(ActorsError.VersionConflict(expected, current.Version));
        }

        string? document;
        if (command.Op == WriteOp.Delete)
        {
            if (current.Document is null)
            {
                return Refuse(ActorsError.RootNotFound(_root));
            }
            document = null;
        }
        else
        {
            var applied = _engine.Apply(current.Document, command);
            if (applied.Error is { } applyError)
            {
                return Refuse(applyError);
            }
            document = applied.Json;
        }

        // The recent writes ride along with every write; once they fill up they move to the archive first, so a write
        // persists ~1 KB of memory on average instead of all 1,000 entries. Archive first, root state second: a crash
        // in between leaves the moved entries in both places, which only repeats them.
        var recent = current.Writes;
        if (WriteMemory.MustArchive(recent))
        {
            if (await TryArchiveAsync(recent) is { } archiveError)
            {
                LogStorageWriteFailed(_logger, archiveError, _root, command.Op);
                return Refuse(ActorsError.Unavailable("Storage is unavailable, so the write was not acknowledged."));
            }
            recent = RememberedWrites.Empty;
        }

        var remembered = new RememberedWrite(
            (ulong)(writeIdHash >> 64), (ulong)writeIdHash, fingerprint, current.Version + 1,
            Created: current.Document is null && document is not null, Deleted: document is null);
        var next = new RootState
        {
            Document = document,
            Version = current.Version + 1,
            RecentWrites = WriteMemory.Append(recent, remembered),
        };

        _state.State = next;
        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Write-through: memory must never run ahead of storage. Put the old state back, and let the next call
            // reactivate from storage, because the write may or may not have reached Redis before the failure.
            _state.State = current;
            DeactivateOnIdle();
            LogStorageWriteFailed(_logger, ex, _root, command.Op);
            return Refuse(ActorsError.Unavailable("Storage is unavailable, so the write was not acknowledged."));
        }
        _memory.Commit(remembered);
        return new WriteResult(_root, next.Version, Duplicate: false, Created: remembered.Created, Deleted: remembered.Deleted);
    }

    private async Task<Exception?> TryArchiveAsync(IReadOnlyList<RememberedWrite> recent)
    {
        var previous = _archive.State;
        var (archived, batches) = _memory.Archive(previous.Writes, new ArchiveBatches(previous.Batches), recent);
        _archive.State = new WriteArchive { ArchivedWrites = archived, Batches = batches.Packed };
        try
        {
            await _archive.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // As for the root state: never ahead of storage, and reload both on the next call.
            _archive.State = previous;
            DeactivateOnIdle();
            return ex;
        }
        _memory.Reset(archived, batches);
        if (_memory.LastArchiveCutYoungWrites && !_warnedAboutCeiling)
        {
            _warnedAboutCeiling = true;
            LogRetentionCeiling(_logger, _root, _options.WriteIdMaxEntries, _options.WriteIdMinRetention);
        }
        return null;
    }

    public Task<ReadResult> ReadAsync(string? pointer = null)
    {
        var state = _state.State;
        if (state.Document is null)
        {
            return Task.FromResult(new ReadResult(_root, state.Version, null, ActorsError.RootNotFound(_root)));
        }
        var read = DocumentEngine.Read(_root, state.Document, pointer);
        return Task.FromResult(new ReadResult(_root, state.Version, read.Json, read.Error));
    }

    public Task<RootLocation> GetLocationAsync() => Task.FromResult(new RootLocation(_silo.Name, _silo.SiloAddress.ToString()));

    private WriteResult Refuse(ActorsError error) => new(_root, _state.State.Version, Error: error);

    [LoggerMessage(3, LogLevel.Warning, "Root {Root} made more than {MaxEntries} writes within {MinRetention}: the oldest of them are forgotten before that age (Actors:Roots:WriteIdMaxEntries), so a retry that late would apply again.")]
    private static partial void LogRetentionCeiling(ILogger logger, string root, int maxEntries, TimeSpan minRetention);

    [LoggerMessage(1, LogLevel.Warning, "Write ({Op}) to root {Root} failed in storage; not acknowledged, state left as it was.")]
    private static partial void LogStorageWriteFailed(ILogger logger, Exception exception, string root, WriteOp op);
}
