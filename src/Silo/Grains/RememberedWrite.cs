namespace Actors.Silo.Grains;

/// <summary>
/// One applied write, remembered so a retry with the same write id returns the original result.
/// </summary>
/// <remarks>
/// The write id itself is kept as a 128-bit hash: a client's ids can be long (an XMPP write id is a bare JID plus an
/// origin-id) and the whole memory is persisted with every write, so 1,000 entries must stay small (~33 bytes each).
/// </remarks>
/// <param name="WriteIdHashHigh">High half of the XxHash128 of the write id.</param>
/// <param name="WriteIdHashLow">Low half of the XxHash128 of the write id.</param>
/// <param name="Fingerprint">Hash of the command (op, ifVersion, parsed body): same id + other fingerprint = id reused.</param>
/// <param name="Version">The version the write produced.</param>
/// <param name="Created">The write brought the root into existence (HTTP 201).</param>
/// <param name="Deleted">The write was a delete.</param>
[GenerateSerializer, Immutable]
public readonly record struct RememberedWrite(
    [property: Id(0)] ulong WriteIdHashHigh,
    [property: Id(1)] ulong WriteIdHashLow,
    [property: Id(2)] ulong Fingerprint,
    [property: Id(3)] long Version,
    [property: Id(4)] bool Created,
    [property: Id(5)] bool Deleted);
